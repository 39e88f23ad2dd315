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
/// sold ticket. A payment for an order that was cancelled meanwhile completes it late (the ticket
/// reaction refuses, and so rolls everything back, if the ticket went to someone else).
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
        if (order is null || !order.IsLive)
        {
            return;
        }

        order.Cancel(CancellationReason.Expired, clock.GetUtcNow());
        LogExpired(order.Id, order.ExpiresAt);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} expired (window closed at {ExpiresAt:O})")]
    private partial void LogExpired(Guid orderId, DateTimeOffset expiresAt);
}
