using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Infrastructure.Email;

// The e-mails of an order's life. Each handler queues its e-mails on the scope's context, which the
// outbox dispatcher saves with the handler's delivery record: one e-mail per event and recipient,
// however often the event is delivered.

/// <summary>The buyer learns the reservation's deadline.</summary>
internal sealed class EmailOnOrderCreated(TicketingDbContext db, EmailQueue queue, IOptions<PaymentsOptions> payments) : CommittedEventHandler<OrderCreated>
{
    protected override async Task HandleAsync(OrderCreated e, CancellationToken cancellationToken)
    {
        // Sent even when the order has moved on since (paid at once, or expired during a long mail
        // outage): every step gets its e-mail, in order, and the later ones say how it ended.
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == e.AggregateId, cancellationToken);
        if (order is null || await Recipients.EmailOfAsync(db, e.BuyerId, cancellationToken) is not { } buyer)
        {
            return;
        }

        await queue.EnqueueAsync(
            Recipients.Key(e, "buyer"),
            EmailTemplates.ReservationMade(buyer, order.TicketTitle, e.Price, payments.Value.Currency, e.AggregateId, e.ExpiresAt),
            cancellationToken);
    }
}

/// <summary>The buyer gets a receipt; the seller learns the ticket sold.</summary>
internal sealed class EmailOnOrderCompleted(TicketingDbContext db, EmailQueue queue, IOptions<PaymentsOptions> payments) : CommittedEventHandler<OrderCompleted>
{
    protected override async Task HandleAsync(OrderCompleted e, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == e.AggregateId, cancellationToken);
        if (order is null)
        {
            return;
        }

        var currency = payments.Value.Currency;
        if (await Recipients.EmailOfAsync(db, e.BuyerId, cancellationToken) is { } buyer)
        {
            var reference = await db.Payments.AsNoTracking().Where(p => p.Id == e.PaymentId).Select(p => p.ProviderReference).FirstOrDefaultAsync(cancellationToken);
            await queue.EnqueueAsync(
                Recipients.Key(e, "buyer"),
                EmailTemplates.PaymentReceived(buyer, order.TicketTitle, order.Price, currency, order.Id, e.OccurredAt, reference),
                cancellationToken);
        }

        var sellerId = await db.Tickets.AsNoTracking().Where(t => t.Id == e.TicketId).Select(t => (Guid?)t.SellerId).FirstOrDefaultAsync(cancellationToken);
        if (sellerId is { } id && await Recipients.EmailOfAsync(db, id, cancellationToken) is { } seller)
        {
            await queue.EnqueueAsync(
                Recipients.Key(e, "seller"),
                EmailTemplates.TicketSold(seller, order.TicketTitle, order.Price, currency, order.Id, e.OccurredAt),
                cancellationToken);
        }
    }
}

/// <summary>The buyer learns that the order ended unpaid, and why.</summary>
internal sealed class EmailOnOrderCancelled(TicketingDbContext db, EmailQueue queue) : CommittedEventHandler<OrderCancelled>
{
    protected override async Task HandleAsync(OrderCancelled e, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == e.AggregateId, cancellationToken);
        if (order is null || await Recipients.EmailOfAsync(db, e.BuyerId, cancellationToken) is not { } buyer)
        {
            return;
        }

        var email = e.Reason switch
        {
            CancellationReason.Expired => EmailTemplates.ReservationExpired(buyer, order.TicketTitle, order.Id, order.ExpiresAt),
            CancellationReason.Admin => EmailTemplates.OrderCancelled(buyer, order.TicketTitle, order.Id, byAdmin: true, e.OccurredAt),
            _ => EmailTemplates.OrderCancelled(buyer, order.TicketTitle, order.Id, byAdmin: false, e.OccurredAt),
        };
        await queue.EnqueueAsync(Recipients.Key(e, "buyer"), email, cancellationToken);
    }
}

/// <summary>The buyer learns that a refunded order's money goes back, and why.</summary>
internal sealed class EmailOnOrderRefunded(TicketingDbContext db, EmailQueue queue, IOptions<PaymentsOptions> payments) : CommittedEventHandler<OrderRefunded>
{
    protected override async Task HandleAsync(OrderRefunded e, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == e.AggregateId, cancellationToken);
        if (order is null || await Recipients.EmailOfAsync(db, e.BuyerId, cancellationToken) is not { } buyer)
        {
            return;
        }

        await queue.EnqueueAsync(
            Recipients.Key(e, "buyer"),
            EmailTemplates.RefundMade(buyer, order.TicketTitle, order.Price, payments.Value.Currency, order.Id, e.Reason, e.OccurredAt),
            cancellationToken);
    }
}

/// <summary>
/// The buyer learns that money the order could not take went back (a payment for a cancelled or
/// already paid order), or that the provider refunded part of a payment. A refunded order's money is
/// told of by its own e-mail.
/// </summary>
internal sealed class EmailOnPaymentRefunded(TicketingDbContext db, EmailQueue queue) : CommittedEventHandler<PaymentRefunded>
{
    protected override async Task HandleAsync(PaymentRefunded e, CancellationToken cancellationToken)
    {
        if (e.Reason == RefundReason.Admin)
        {
            return;
        }

        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == e.OrderId, cancellationToken);
        var currency = await db.Payments.AsNoTracking().Where(p => p.Id == e.AggregateId).Select(p => p.Currency).FirstOrDefaultAsync(cancellationToken);
        if (order is null || currency is null || await Recipients.EmailOfAsync(db, order.BuyerId, cancellationToken) is not { } buyer)
        {
            return;
        }

        var reason = e.Reason switch
        {
            RefundReason.OrderCancelled => "The order had been cancelled when the payment arrived",
            RefundReason.TicketGone => "The reservation had expired and the ticket was sold to someone else",
            RefundReason.AlreadyPaid => "The order had already been paid",
            RefundReason.AmountMismatch => "The amount paid did not match the order",
            _ => "Refunded by the payment provider",
        };
        await queue.EnqueueAsync(
            Recipients.Key(e, "buyer"),
            EmailTemplates.RefundMade(buyer, order.TicketTitle, e.AmountMinor / 100m, currency, order.Id, reason, e.OccurredAt),
            cancellationToken);
    }
}

public static class Recipients
{
    /// <summary>The user's address; null when the account is gone.</summary>
    public static Task<string?> EmailOfAsync(TicketingDbContext db, Guid userId, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);

    /// <summary>One e-mail per event and recipient: <c>OrderCreated:{orderId}:0:buyer</c>.</summary>
    public static string Key(IDomainEvent e, string recipient) => $"{EventTypes.NameOf(e)}:{e.AggregateId}:{e.Version}:{recipient}";
}
