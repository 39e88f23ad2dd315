using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ticketing.Domain.Common;
using Ticketing.Domain.Expiration;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Infrastructure.Orders;

/// <summary>
/// Payment and completion commit together: money recorded always means a completed order and a
/// sold ticket. A payment for an order that expired meanwhile completes it late (the ticket reaction
/// refuses, and so rolls everything back, if the ticket went to someone else); one for an order its
/// buyer or an admin cancelled is refused here too, though Payments refunds those before saving.
/// </summary>
internal sealed class CompleteOrderOnPaymentCreated(TimeProvider clock) : DomainEventReaction<PaymentCreated>
{
    protected override async Task ReactAsync(PaymentCreated e, TicketingDbContext db, CancellationToken cancellationToken)
    {
        var order = await db.Orders.FindAsync([e.OrderId], cancellationToken)
            ?? throw new NotFoundException("Order not found");
        if (order.Status == OrderStatus.Cancelled)
        {
            order.CompleteLate(e.AggregateId, clock.GetUtcNow());
        }
        else
        {
            order.Complete(e.AggregateId, clock.GetUtcNow());
        }
    }
}

/// <summary>
/// The provider refunded the whole payment of a completed order (from its dashboard): the sale is
/// undone as an admin's refund would undo it, and the ticket goes back on sale.
/// </summary>
internal sealed partial class RefundOrderOnPaymentReversed(TimeProvider clock, ILogger<RefundOrderOnPaymentReversed> logger) : DomainEventReaction<PaymentReversed>
{
    public const string Reason = "Refunded at the payment provider";

    protected override async Task ReactAsync(PaymentReversed e, TicketingDbContext db, CancellationToken cancellationToken)
    {
        var order = await db.Orders.FindAsync([e.OrderId], cancellationToken)
            ?? throw new NotFoundException("Order not found");
        if (order.Status == OrderStatus.Complete)
        {
            order.Refund(adminId: null, Reason, relistTicket: true, clock.GetUtcNow());
            LogReversed(order.Id, e.RefundReference);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} refunded: its payment was refunded at the provider ({RefundReference})")]
    private partial void LogReversed(Guid orderId, string refundReference);
}

/// <summary>
/// The Orders context's answer to Expiration: cancel the order unless it was paid or cancelled
/// already. It runs in the save that raised the expiry, so a set of expiries cancels its orders and
/// (through the ticket reaction) unlocks their tickets in that one commit (docs/decisions/0008).
/// </summary>
internal sealed partial class ExpireOrderOnExpirationComplete(TimeProvider clock, ILogger<ExpireOrderOnExpirationComplete> logger)
    : DomainEventReaction<ExpirationComplete>
{
    protected override async Task PrepareAsync(IReadOnlyList<ExpirationComplete> events, TicketingDbContext db, CancellationToken cancellationToken)
    {
        // Reading Local detects changes: once, not per event.
        var tracked = db.Orders.Local;
        var ids = events.Select(e => e.AggregateId).Distinct().Where(id => tracked.FindEntry(id) is null).ToList();
        if (ids.Count > 0)
        {
            await db.Orders.Where(o => ids.Contains(o.Id)).LoadAsync(cancellationToken);
        }
    }

    protected override async Task ReactAsync(ExpirationComplete e, TicketingDbContext db, CancellationToken cancellationToken)
    {
        var order = await db.Orders.FindAsync([e.AggregateId], cancellationToken);

        // A charge in flight decides the order itself: it completes it, or releases it and expires
        // it then (docs/decisions/0013).
        if (order is null || !order.IsLive || order.IsCharging)
        {
            return;
        }

        order.Cancel(CancellationReason.Expired, clock.GetUtcNow());
        LogExpired(order.Id, order.ExpiresAt);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} expired (window closed at {ExpiresAt:O})")]
    private partial void LogExpired(Guid orderId, DateTimeOffset expiresAt);
}
