using System.Security.Cryptography;
using System.Text;
using Stripe;

namespace Ticketing.Web.Tests.Api.Payments;

/// <summary>Stripe webhook deliveries signed the way Stripe signs them.</summary>
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

    public static string PaymentIntentSucceeded(string eventId, string paymentIntentId, Guid orderId, long amount) => $$"""
        {
          "id": "{{eventId}}",
          "object": "event",
          "api_version": "{{StripeConfiguration.ApiVersion}}",
          "created": {{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}},
          "livemode": false,
          "pending_webhooks": 1,
          "type": "payment_intent.succeeded",
          "data": {
            "object": {
              "id": "{{paymentIntentId}}",
              "object": "payment_intent",
              "amount": {{amount}},
              "amount_received": {{amount}},
              "currency": "usd",
              "metadata": { "order_id": "{{orderId}}" },
              "status": "succeeded"
            }
          }
        }
        """;

    public static string ChargeRefunded(string eventId, Guid orderId) => $$"""
        {
          "id": "{{eventId}}",
          "object": "event",
          "api_version": "{{StripeConfiguration.ApiVersion}}",
          "created": {{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}},
          "livemode": false,
          "pending_webhooks": 1,
          "type": "charge.refunded",
          "data": {
            "object": {
              "id": "ch_{{eventId}}",
              "object": "charge",
              "amount": 2000,
              "amount_refunded": 2000,
              "currency": "usd",
              "metadata": { "order_id": "{{orderId}}" },
              "refunded": true,
              "status": "succeeded"
            }
          }
        }
        """;
}
