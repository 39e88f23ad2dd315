using System.Text.Json;
using Microsoft.Extensions.Options;
using Stripe;

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

        if (stripeEvent.Type != EventTypes.PaymentIntentSucceeded)
        {
            return new StripeWebhookEvent.Ignored(stripeEvent.Id, stripeEvent.Type, "Not an event this application handles.");
        }

        if (stripeEvent.Data?.Object is not PaymentIntent intent || string.IsNullOrEmpty(intent.Id))
        {
            return new StripeWebhookEvent.Ignored(stripeEvent.Id, stripeEvent.Type, "The event carries no PaymentIntent.");
        }

        // Payments made outside this application (dashboard, other integrations) have no order id.
        if (intent.Metadata is null
            || !intent.Metadata.TryGetValue("order_id", out var orderIdText)
            || !Guid.TryParse(orderIdText, out var orderId))
        {
            return new StripeWebhookEvent.Ignored(stripeEvent.Id, stripeEvent.Type, "The PaymentIntent has no valid order_id metadata.");
        }

        return new StripeWebhookEvent.PaymentSucceeded(stripeEvent.Id, intent.Id, orderId, intent.Amount, intent.Currency ?? string.Empty);
    }
}
