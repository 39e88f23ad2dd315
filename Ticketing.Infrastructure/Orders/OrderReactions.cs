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
