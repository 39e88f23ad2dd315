using Ticketing.Domain.Orders;
using Ticketing.Infrastructure.Events;

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
