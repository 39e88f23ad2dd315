using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets.Rules;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tickets;

namespace Ticketing.Infrastructure.Payments;

public enum PaymentOutcome
{
    /// <summary>Money recorded; the order is complete and the ticket sold.</summary>
    Completed,

    /// <summary>The provider confirms later (e.g. 3-D Secure); the order awaits payment.</summary>
    Pending,

    /// <summary>The money came too late for a ticket someone else now holds: it was refunded.</summary>
    Refunded,

    /// <summary>The same provider payment was already applied; nothing changed.</summary>
    AlreadyApplied,
}

public sealed record PaymentResult(PaymentOutcome Outcome, Guid? PaymentId, string? ProviderReference);

/// <summary>
/// The Payments context's use cases: charge an order through the configured gateway, and apply a
/// payment the provider confirmed on its own (a webhook). Money is never kept without a ticket.
/// </summary>
public sealed partial class OrderPayments(
    IDbContextFactory<TicketingDbContext> contexts,
    IPaymentGateway gateway,
    IOptions<PaymentsOptions> options,
    TimeProvider clock,
    ILogger<OrderPayments> logger)
{
    private const int MaxAttempts = 3;

    private string Currency => options.Value.Currency.ToLowerInvariant();

    public async Task<PaymentResult> PayAsync(Actor buyer, Guid orderId, string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new InvalidInputException("A payment token is required", "token");
        }

        Order order;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken)
                ?? throw new NotFoundException("Order not found");
        }

        if (order.BuyerId != buyer.UserId)
        {
            throw new AccessDeniedException();
        }

        order.EnsurePayable(clock.GetUtcNow());
        var amount = Money.ToMinorUnits(order.Price);

        // One key per order and payment method: a retried request is charged once, while a buyer
        // whose card was declined can still pay with another one.
        var charge = await gateway.ChargeAsync(
            new ChargeRequest(order.Id, amount, Currency, token.Trim(), $"order-{order.Id}-{token.Trim()}", $"Ticket: {order.TicketTitle}"),
            cancellationToken);
        switch (charge.Outcome)
        {
            case ChargeOutcome.Declined:
                LogDeclined(order.Id, gateway.Name);
                throw new PaymentDeclinedException(charge.Message ?? "Your card was declined.");
            case ChargeOutcome.InvalidToken:
                throw new InvalidInputException(charge.Message ?? "Unknown payment token", "token");
            case ChargeOutcome.Pending:
                await MarkAwaitingPaymentAsync(order.Id, charge.Reference!, cancellationToken);
                return new PaymentResult(PaymentOutcome.Pending, null, charge.Reference);
            default:
                return await ApplyAsync(order.Id, charge.Reference!, amount, Currency, cancellationToken);
        }
    }

    /// <summary>
    /// Records money the provider has taken for an order, exactly once per provider reference.
    /// A late payment completes the order if its ticket is still free, and is refunded otherwise.
    /// </summary>
    public async Task<PaymentResult> ApplyAsync(Guid orderId, string providerReference, long amountMinor, string currency, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var existing = await db.Payments.AsNoTracking()
                .FirstOrDefaultAsync(p => p.ProviderReference == providerReference || p.OrderId == orderId, cancellationToken);
            if (existing is not null)
            {
                if (existing.ProviderReference == providerReference)
                {
                    return new PaymentResult(PaymentOutcome.AlreadyApplied, existing.Id, providerReference);
                }

                // A second charge for an order that already has its payment: give it back.
                await RefundAsync(providerReference, amountMinor, cancellationToken);
                LogDuplicateRefunded(orderId, providerReference);
                return new PaymentResult(PaymentOutcome.Refunded, null, providerReference);
            }

            if (!await db.Orders.AnyAsync(o => o.Id == orderId, cancellationToken))
            {
                throw new NotFoundException("Order not found");
            }

            var payment = Payment.Record(Guid.NewGuid(), orderId, amountMinor, currency, providerReference, clock.GetUtcNow());
            db.Payments.Add(payment);
            try
            {
                // The order completes and the ticket is sold in this same save (the reactions).
                await db.SaveChangesAsync(cancellationToken);
                LogPaid(orderId, payment.Id, providerReference, amountMinor, currency);
                return new PaymentResult(PaymentOutcome.Completed, payment.Id, providerReference);
            }
            catch (BusinessRuleViolationException ex) when (ex.Rule is TicketMustBeHeldByOrderRule or TicketMustBeListedRule)
            {
                return await RefundLateAsync(orderId, providerReference, amountMinor, currency, cancellationToken);
            }
            catch (DbUpdateException) when (attempt < MaxAttempts)
            {
                // Lost a race (the expiry job, or a concurrent delivery of the same payment): look again.
            }
        }
    }

    private async Task<PaymentResult> RefundLateAsync(Guid orderId, string providerReference, long amountMinor, string currency, CancellationToken cancellationToken)
    {
        var refundReference = await RefundAsync(providerReference, amountMinor, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var payment = Payment.RecordRefunded(Guid.NewGuid(), orderId, amountMinor, currency, providerReference, refundReference, clock.GetUtcNow());
        db.Payments.Add(payment);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent delivery recorded this payment, or another one for the order, first. The
            // refund above went through once either way (its idempotency key is the reference).
            await using var fresh = await contexts.CreateDbContextAsync(cancellationToken);
            var existing = await fresh.Payments.AsNoTracking()
                .FirstOrDefaultAsync(p => p.ProviderReference == providerReference || p.OrderId == orderId, cancellationToken);
            if (existing is null)
            {
                throw;
            }

            return existing.ProviderReference == providerReference
                ? new PaymentResult(PaymentOutcome.AlreadyApplied, existing.Id, providerReference)
                : new PaymentResult(PaymentOutcome.Refunded, null, providerReference);
        }

        LogLateRefunded(orderId, providerReference, refundReference);
        return new PaymentResult(PaymentOutcome.Refunded, payment.Id, providerReference);
    }

    private Task<string> RefundAsync(string providerReference, long amountMinor, CancellationToken cancellationToken) =>
        gateway.RefundAsync(new RefundRequest(providerReference, amountMinor, $"refund-{providerReference}"), cancellationToken);

    private async Task MarkAwaitingPaymentAsync(Guid orderId, string reference, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var order = await db.Orders.FirstAsync(o => o.Id == orderId, cancellationToken);
        order.StartPayment(reference, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        LogPending(orderId, reference);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} paid: payment {PaymentId}, provider reference {ProviderReference}, {AmountMinor} {Currency}")]
    private partial void LogPaid(Guid orderId, Guid paymentId, string providerReference, long amountMinor, string currency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} payment declined by the {Gateway} gateway")]
    private partial void LogDeclined(Guid orderId, string gateway);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} awaits confirmation of provider payment {ProviderReference}")]
    private partial void LogPending(Guid orderId, string providerReference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} was paid late ({ProviderReference}) and its ticket is gone: refunded as {RefundReference}")]
    private partial void LogLateRefunded(Guid orderId, string providerReference, string refundReference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} already had a payment: refunded the second one ({ProviderReference})")]
    private partial void LogDuplicateRefunded(Guid orderId, string providerReference);
}
