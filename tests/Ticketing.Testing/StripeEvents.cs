using System.Security.Cryptography;
using System.Text;
using Stripe;

namespace Ticketing.Testing;

/// <summary>Stripe webhook deliveries, shaped and signed the way Stripe sends them.</summary>
public static class StripeEvents
{
    /// <summary>Stripe's scheme: <c>t=unix time,v1=hex HMAC-SHA256 of "{t}.{body}"</c> keyed with the endpoint secret.</summary>
    public static string Sign(string payload, string secret, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var hmac = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}")));
        return $"t={timestamp},v1={hmac}";
    }

    public static HttpRequestMessage Delivery(string payload, string? signature, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/webhook")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(payload)),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        }

        return request;
    }

    /// <summary>Posts <paramref name="payload"/> signed with <paramref name="secret"/>, as Stripe delivers it.</summary>
    public static async Task<HttpResponseMessage> DeliverAsync(this HttpClient stripe, string payload, string secret)
    {
        using var request = Delivery(payload, Sign(payload, secret));
        return await stripe.SendAsync(request);
    }

    public static string NewEventId() => "evt_" + Guid.NewGuid().ToString("N");

    /// <summary>A confirmation of the intent ended without money (declined, or 3-D Secure failed); it is ready for another payment method.</summary>
    public static string PaymentIntentPaymentFailed(string eventId, string paymentIntentId, Guid orderId, long amount, string currency = "usd") => Envelope(eventId, "payment_intent.payment_failed", $$"""
        {
          "id": "{{paymentIntentId}}",
          "object": "payment_intent",
          "amount": {{amount}},
          "amount_received": 0,
          "currency": "{{currency}}",
          "metadata": { "order_id": "{{orderId}}" },
          "last_payment_error": { "type": "invalid_request_error", "code": "payment_intent_authentication_failure", "message": "We are unable to authenticate your payment method." },
          "status": "requires_payment_method"
        }
        """);

    public static string PaymentIntentSucceeded(string eventId, string paymentIntentId, Guid orderId, long amount, string currency = "usd") => Envelope(eventId, "payment_intent.succeeded", $$"""
        {
          "id": "{{paymentIntentId}}",
          "object": "payment_intent",
          "amount": {{amount}},
          "amount_received": {{amount}},
          "currency": "{{currency}}",
          "metadata": { "order_id": "{{orderId}}" },
          "status": "succeeded"
        }
        """);

    /// <summary>A charge of <paramref name="paymentIntentId"/> refunded, <paramref name="amountRefunded"/> of it in all, the latest refund first.</summary>
    public static string ChargeRefunded(string eventId, string paymentIntentId, string refundId, long amount, long amountRefunded) => Envelope(eventId, "charge.refunded", $$"""
        {
          "id": "ch_{{eventId}}",
          "object": "charge",
          "amount": {{amount}},
          "amount_refunded": {{amountRefunded}},
          "currency": "usd",
          "payment_intent": "{{paymentIntentId}}",
          "refunded": {{(amountRefunded >= amount ? "true" : "false")}},
          "refunds": { "object": "list", "data": [ { "id": "{{refundId}}", "object": "refund", "amount": {{amountRefunded}}, "payment_intent": "{{paymentIntentId}}", "status": "succeeded" } ], "has_more": false },
          "status": "succeeded"
        }
        """);

    public static string DisputeCreated(string eventId, string paymentIntentId, string disputeId, long amount, string reason = "fraudulent") => Envelope(eventId, "charge.dispute.created", $$"""
        {
          "id": "{{disputeId}}",
          "object": "dispute",
          "amount": {{amount}},
          "currency": "usd",
          "charge": "ch_{{eventId}}",
          "payment_intent": "{{paymentIntentId}}",
          "reason": "{{reason}}",
          "status": "needs_response"
        }
        """);

    /// <summary>A genuine event of a type the application does not act on.</summary>
    public static string CustomerCreated(string eventId) => Envelope(eventId, "customer.created", $$"""
        {
          "id": "cus_{{eventId}}",
          "object": "customer",
          "email": "someone@example.com"
        }
        """);

    /// <summary>An event of <paramref name="type"/> carrying <paramref name="dataObject"/> (JSON), as Stripe wraps every event.</summary>
    public static string Envelope(string eventId, string type, string dataObject) => $$"""
        {
          "id": "{{eventId}}",
          "object": "event",
          "api_version": "{{StripeConfiguration.ApiVersion}}",
          "created": {{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}},
          "livemode": false,
          "pending_webhooks": 1,
          "type": "{{type}}",
          "data": {
            "object": {{dataObject}}
          }
        }
        """;
}
