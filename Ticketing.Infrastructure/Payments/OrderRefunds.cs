using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Infrastructure.Payments;

/// <summary>What becomes of a refunded order's ticket.</summary>
public enum RefundedTicket
{
    /// <summary>Back on sale.</summary>
    Relist,

    /// <summary>Off the market.</summary>
    Withdraw,
}

/// <param name="MoneyReturned">
/// False when the provider could not be reached: the refund is owed on the books, and the
/// reconciliation job asks the provider again until it is made.
/// </param>
public sealed record RefundResult(OrderView Order, bool MoneyReturned);

/// <summary>
/// An admin refunds a completed order (docs/decisions/0018). The decision is one save, arbitrated by
/// the order row's concurrency token like a payment's claim: the order becomes <c>refunded</c>, its
/// payment is owed back and its ticket relisted or withdrawn, all together. Of any number of
/// concurrent refunds exactly one is saved; the others find the order refunded. Only then is the
/// provider asked, with a key derived from the charge, so the money goes back once.
/// </summary>
[Scoped]
public sealed partial class OrderRefunds(
    IDbContextFactory<TicketingDbContext> contexts,
    OrderPayments payments,
    TimeProvider clock,
    ILogger<OrderRefunds> logger)
{
    public const int MaxReasonLength = 500;

    public async Task<RefundResult> RefundAsync(Actor admin, Guid orderId, string? reason, RefundedTicket ticket, CancellationToken cancellationToken = default)
    {
        if (!admin.IsAdmin)
        {
            throw new AccessDeniedException();
        }

        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            throw new InvalidInputException("A reason for the refund is required", "reason");
        }

        if (reason.Length > MaxReasonLength)
        {
            throw new InvalidInputException($"The reason must be at most {MaxReasonLength} characters", "reason");
        }

        var paymentId = await DecideAsync(admin, orderId, reason, ticket, cancellationToken);
        LogRefundDecided(orderId, admin.UserId, ticket, reason);

        // After the commit, never inside it: the provider may be slow, and the decision stands either way.
        var returned = await payments.RefundOwedAsync(paymentId, cancellationToken);

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var order = await db.Orders.AsNoTracking().FirstAsync(o => o.Id == orderId, cancellationToken);
        var current = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == order.TicketId, cancellationToken);
        return new RefundResult(OrderView.From(order, current), returned);
    }

    /// <summary>Saves the refund; returns the payment now owed back.</summary>
    private async Task<Guid> DecideAsync(Actor admin, Guid orderId, string reason, RefundedTicket ticket, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var order = await db.Orders.FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken)
                ?? throw new NotFoundException("Order not found");
            order.Refund(admin.UserId, reason, ticket == RefundedTicket.Relist, clock.GetUtcNow());
            try
            {
                // Payments owes the money and Tickets gives the ticket back in this same save (the reactions).
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < SaveRetries.MaxAttempts)
            {
                // Another refund, or the provider's, won the order row: decide again on what it left.
                continue;
            }

            // The reaction tracked it: no query.
            return db.Payments.Local.First(p => p.OrderId == orderId && p.Status == PaymentStatus.Refunding).Id;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} refunded by admin {AdminId} (ticket: {Ticket}): {Reason}")]
    private partial void LogRefundDecided(Guid orderId, Guid adminId, RefundedTicket ticket, string reason);
}
