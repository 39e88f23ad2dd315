namespace Ticketing.Infrastructure.Payments;

/// <summary>What a Stripe webhook delivery means to the Payments context.</summary>
public abstract record StripeWebhookEvent
{
    private StripeWebhookEvent()
    {
    }

    /// <summary>Not a genuine, recent Stripe event: answer 400 and apply nothing.</summary>
    public sealed record Invalid(string Reason) : StripeWebhookEvent;

    /// <summary>A genuine event this application does not act on: answer 200 so Stripe stops retrying.</summary>
    public sealed record Ignored(string EventId, string EventType, string Reason) : StripeWebhookEvent;

    /// <summary>
    /// A PaymentIntent for one of our orders succeeded. <paramref name="EventId"/> identifies the
    /// delivery (Stripe redelivers the same event); <paramref name="PaymentIntentId"/> the charge.
    /// </summary>
    public sealed record PaymentSucceeded(string EventId, string PaymentIntentId, Guid OrderId, long AmountMinor, string Currency) : StripeWebhookEvent;

    /// <summary>
    /// A confirmation of a PaymentIntent for one of our orders ended without money (declined, or the
    /// 3-D Secure challenge failed). Says nothing final by itself: the intent may be confirmed again.
    /// </summary>
    public sealed record PaymentFailed(string EventId, string PaymentIntentId, Guid OrderId) : StripeWebhookEvent;

    /// <summary>Money of a PaymentIntent went back: <paramref name="AmountRefundedMinor"/> in all so far.</summary>
    public sealed record ChargeRefunded(string EventId, string PaymentIntentId, string RefundId, long AmountRefundedMinor) : StripeWebhookEvent;

    /// <summary>The buyer's bank disputes a PaymentIntent's charge.</summary>
    public sealed record DisputeCreated(string EventId, string PaymentIntentId, string DisputeId, string? Reason) : StripeWebhookEvent;
}
