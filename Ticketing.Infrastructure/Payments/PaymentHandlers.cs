namespace Ticketing.Infrastructure.Payments;

/// <summary>
/// The Payments context's answer to a cancelled order: the provider's payment it had opened (a
/// Stripe PaymentIntent waiting for 3-D Secure, or left after a decline) is cancelled, so that it can
/// no longer take money. Runs after commit; a provider outage fails the delivery, which is retried.
/// </summary>
internal sealed class StopPaymentOnOrderCancelled(OrderPayments payments) : CommittedEventHandler<OrderCancelled>
{
    protected override Task HandleAsync(OrderCancelled e, CancellationToken cancellationToken) =>
        e.PaymentReference is null
            ? Task.CompletedTask
            : payments.StopPaymentOfCancelledOrderAsync(e.AggregateId, e.PaymentReference, cancellationToken);
}

/// <summary>
/// The Payments context's answer to a refunded order, in the same save: the money that paid for it
/// is owed back, on the books before the provider is asked (<see cref="OrderRefunds"/> asks right
/// after the commit; the reconciliation job asks again if that fails). A payment the provider has
/// already refunded (the refund came from its side) owes nothing.
/// </summary>
internal sealed class OweRefundOnOrderRefunded(TimeProvider clock) : DomainEventReaction<OrderRefunded>
{
    protected override async Task ReactAsync(OrderRefunded e, TicketingDbContext db, CancellationToken cancellationToken)
    {
        // Tracked rows first: a reversal being saved has changed its payment in memory only.
        var payment = db.Payments.Local.FirstOrDefault(p => p.OrderId == e.AggregateId && p.Status == PaymentStatus.Succeeded)
            ?? await db.Payments.FirstOrDefaultAsync(p => p.OrderId == e.AggregateId && p.Status == PaymentStatus.Succeeded, cancellationToken);
        payment?.RequestRefund(e.AdminId is null ? RefundReason.Provider : RefundReason.Admin, clock.GetUtcNow());
    }
}
