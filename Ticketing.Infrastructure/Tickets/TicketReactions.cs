namespace Ticketing.Infrastructure.Tickets;

// The Tickets context's answers to the Orders and Payments contexts. They run inside the
// transaction of the change that raised the event, so the ticket row's concurrency token decides
// every race between two buyers, or a buyer and the seller (docs/decisions/0003).

internal sealed class LockTicketOnOrderCreated(TimeProvider clock) : DomainEventReaction<OrderCreated>
{
    protected override async Task ReactAsync(OrderCreated e, TicketingDbContext db, CancellationToken cancellationToken)
    {
        var ticket = await db.Tickets.FindAsync([e.TicketId], cancellationToken)
            ?? throw new NotFoundException("Ticket not found");
        ticket.Lock(e.AggregateId, e.BuyerId, e.ExpiresAt, clock.GetUtcNow());
    }
}

internal sealed class UnlockTicketOnOrderCancelled(TimeProvider clock) : DomainEventReaction<OrderCancelled>
{
    protected override async Task PrepareAsync(IReadOnlyList<OrderCancelled> events, TicketingDbContext db, CancellationToken cancellationToken)
    {
        // Reading Local detects changes: once, not per event.
        var tracked = db.Tickets.Local;
        var ids = events.Select(e => e.TicketId).Distinct().Where(id => tracked.FindEntry(id) is null).ToList();
        if (ids.Count > 0)
        {
            await db.Tickets.Where(t => ids.Contains(t.Id)).LoadAsync(cancellationToken);
        }
    }

    protected override async Task ReactAsync(OrderCancelled e, TicketingDbContext db, CancellationToken cancellationToken)
    {
        var ticket = await db.Tickets.FindAsync([e.TicketId], cancellationToken);
        ticket?.Unlock(e.AggregateId, clock.GetUtcNow());
    }
}

/// <summary>A refunded sale gives the ticket back: on sale again, or withdrawn, as the refund says.</summary>
internal sealed class ReturnTicketOnOrderRefunded(TimeProvider clock) : DomainEventReaction<OrderRefunded>
{
    protected override async Task ReactAsync(OrderRefunded e, TicketingDbContext db, CancellationToken cancellationToken)
    {
        var ticket = await db.Tickets.FindAsync([e.TicketId], cancellationToken);
        ticket?.ReturnSale(e.AggregateId, e.RelistTicket, clock.GetUtcNow());
    }
}

internal sealed class SellTicketOnPaymentCreated(TimeProvider clock) : DomainEventReaction<PaymentCreated>
{
    protected override async Task ReactAsync(PaymentCreated e, TicketingDbContext db, CancellationToken cancellationToken)
    {
        var order = await db.Orders.FindAsync([e.OrderId], cancellationToken)
            ?? throw new NotFoundException("Order not found");
        var ticket = await db.Tickets.FindAsync([order.TicketId], cancellationToken)
            ?? throw new NotFoundException("Ticket not found");
        ticket.MarkSold(order.Id, clock.GetUtcNow());
    }
}
