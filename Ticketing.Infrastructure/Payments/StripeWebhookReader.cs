using System.Text.Json;
using Stripe;
using EventTypes = Stripe.EventTypes;

namespace Ticketing.Infrastructure.Payments;

/// <summary>
/// Verifies a webhook delivery's <c>Stripe-Signature</c> against <see cref="PaymentsOptions.WebhookSecret"/>
/// and reads it into a <see cref="StripeWebhookEvent"/>. Never throws for bad input: anyone can post
/// to the webhook endpoint.
/// </summary>
public sealed class StripeWebhookReader(IOptions<PaymentsOptions> options)
{
    public const string SignatureHeaderName = "Stripe-Signature";

    /// <summary>Stripe's default: a delivery signed longer ago than this is treated as a replay.</summary>
    public const long ToleranceSeconds = 300;

    public StripeWebhookEvent Read(string? payload, string? signatureHeader)
    {
        var secret = options.Value.WebhookSecret;
        if (string.IsNullOrWhiteSpace(secret))
        {
            return new StripeWebhookEvent.Invalid("No webhook secret is configured.");
        }

        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            return new StripeWebhookEvent.Invalid($"The {SignatureHeaderName} header is missing.");
        }

        if (string.IsNullOrEmpty(payload))
        {
            return new StripeWebhookEvent.Invalid("The body is empty.");
        }

        // Verify first, then parse: parsing throws a whole zoo of exceptions on malformed JSON, and
        // unsigned input should never reach the parser anyway.
        try
        {
            EventUtility.ValidateSignature(payload, signatureHeader, secret, ToleranceSeconds);
        }
        catch (StripeException ex)
        {
            return new StripeWebhookEvent.Invalid(ex.Message);
        }

        Event stripeEvent;
        try
        {
            // Our Stripe account may send events in an API version other than the one Stripe.net
            // pins; the few fields read here are stable across versions.
            stripeEvent = EventUtility.ConstructEventWithoutVerification(payload, throwOnApiVersionMismatch: false);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentException or InvalidCastException or NotSupportedException)
        {
            return new StripeWebhookEvent.Invalid("The body is not a Stripe event.");
        }

        if (stripeEvent is null || string.IsNullOrEmpty(stripeEvent.Id) || string.IsNullOrEmpty(stripeEvent.Type))
        {
            return new StripeWebhookEvent.Invalid("The body is not a Stripe event.");
        }

        return stripeEvent.Type switch
        {
            EventTypes.PaymentIntentSucceeded => ReadPaymentSucceeded(stripeEvent),
            EventTypes.PaymentIntentPaymentFailed => ReadPaymentFailed(stripeEvent),
            EventTypes.ChargeRefunded => ReadChargeRefunded(stripeEvent),
            EventTypes.ChargeDisputeCreated => ReadDisputeCreated(stripeEvent),
            _ => new StripeWebhookEvent.Ignored(stripeEvent.Id, stripeEvent.Type, "Not an event this application handles."),
        };
    }

    private static StripeWebhookEvent ReadPaymentSucceeded(Event stripeEvent) =>
        ReadOrdersIntent(stripeEvent, out var intent, out var orderId) is { } ignored
            ? ignored
            : new StripeWebhookEvent.PaymentSucceeded(
                stripeEvent.Id, intent.Id, orderId, intent.AmountReceived > 0 ? intent.AmountReceived : intent.Amount, intent.Currency ?? string.Empty);

    private static StripeWebhookEvent ReadPaymentFailed(Event stripeEvent) =>
        ReadOrdersIntent(stripeEvent, out var intent, out var orderId) is { } ignored
            ? ignored
            : new StripeWebhookEvent.PaymentFailed(stripeEvent.Id, intent.Id, orderId);

    /// <summary>The event's PaymentIntent and the order it pays; an <see cref="StripeWebhookEvent.Ignored"/> when it is none of ours.</summary>
    private static StripeWebhookEvent.Ignored? ReadOrdersIntent(Event stripeEvent, out PaymentIntent intent, out Guid orderId)
    {
        orderId = Guid.Empty;
        if (stripeEvent.Data?.Object is not PaymentIntent { Id.Length: > 0 } found)
        {
            intent = null!;
            return new StripeWebhookEvent.Ignored(stripeEvent.Id, stripeEvent.Type, "The event carries no PaymentIntent.");
        }

        intent = found;

        // Payments made outside this application (dashboard, other integrations) have no order id.
        if (intent.Metadata is null
            || !intent.Metadata.TryGetValue("order_id", out var orderIdText)
            || !Guid.TryParse(orderIdText, out orderId))
        {
            return new StripeWebhookEvent.Ignored(stripeEvent.Id, stripeEvent.Type, "The PaymentIntent has no valid order_id metadata.");
        }

        return null;
    }

    private static StripeWebhookEvent ReadChargeRefunded(Event stripeEvent)
    {
        // Charges of this application always belong to a PaymentIntent, which is what payments record.
        if (stripeEvent.Data?.Object is not Charge charge || string.IsNullOrEmpty(charge.PaymentIntentId))
        {
            return new StripeWebhookEvent.Ignored(stripeEvent.Id, stripeEvent.Type, "The charge belongs to no PaymentIntent.");
        }

        // The latest refund names what happened; a charge event without its refund list still
        // carries the total, and the event id then stands for the refund.
        var refundId = charge.Refunds?.Data?.FirstOrDefault()?.Id ?? stripeEvent.Id;
        return new StripeWebhookEvent.ChargeRefunded(stripeEvent.Id, charge.PaymentIntentId, refundId, charge.AmountRefunded);
    }

    private static StripeWebhookEvent ReadDisputeCreated(Event stripeEvent)
    {
        if (stripeEvent.Data?.Object is not Dispute dispute || string.IsNullOrEmpty(dispute.Id) || string.IsNullOrEmpty(dispute.PaymentIntentId))
        {
            return new StripeWebhookEvent.Ignored(stripeEvent.Id, stripeEvent.Type, "The dispute names no PaymentIntent.");
        }

        return new StripeWebhookEvent.DisputeCreated(stripeEvent.Id, dispute.PaymentIntentId, dispute.Id, dispute.Reason);
    }
}
