using Microsoft.Extensions.Options;
using Stripe;
using Ticketing.Infrastructure.Payments;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Payments;

public sealed class StripeWebhookReaderTests
{
    private const string Secret = "whsec_test_5f1c0e2a9b7d4c3e8f6a1b2c3d4e5f60";

    private readonly StripeWebhookReader _reader = Reader(Secret);

    [Fact]
    public void Read_SignedPaymentIntentSucceeded_ReturnsPaymentSucceeded()
    {
        var orderId = Guid.NewGuid();
        var payload = PaymentIntentEvent("evt_1Pz", "payment_intent.succeeded", "pi_3Pz", orderId.ToString(), amount: 2_550);

        var result = _reader.Read(payload, Sign(payload, Secret));

        var succeeded = Assert.IsType<StripeWebhookEvent.PaymentSucceeded>(result);
        Assert.Equal(new StripeWebhookEvent.PaymentSucceeded("evt_1Pz", "pi_3Pz", orderId, 2_550, "usd"), succeeded);
    }

    [Fact]
    public void Read_SignatureHeaderFromStripeNet_IsAccepted()
    {
        var payload = PaymentIntentEvent("evt_2", "payment_intent.succeeded", "pi_2", Guid.NewGuid().ToString());

        var result = _reader.Read(payload, EventUtility.GenerateSignatureHeader(payload, Secret, null));

        Assert.IsType<StripeWebhookEvent.PaymentSucceeded>(result);
    }

    [Fact]
    public void Read_WithOneValidSignatureAmongSeveral_IsAccepted()
    {
        // During a secret roll Stripe signs with both secrets: one v1 per secret.
        var payload = PaymentIntentEvent("evt_3", "payment_intent.succeeded", "pi_3", Guid.NewGuid().ToString());
        var now = DateTimeOffset.UtcNow;
        var header = $"{Sign(payload, "whsec_old", now)},v1={Hmac(payload, Secret, now)}";

        Assert.IsType<StripeWebhookEvent.PaymentSucceeded>(_reader.Read(payload, header));
    }

    [Fact]
    public void Read_SignedWithAnotherSecret_IsInvalid()
    {
        var payload = PaymentIntentEvent("evt_4", "payment_intent.succeeded", "pi_4", Guid.NewGuid().ToString());

        Assert.IsType<StripeWebhookEvent.Invalid>(_reader.Read(payload, Sign(payload, "whsec_someone_else")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("garbage")]
    [InlineData("t=notanumber,v1=abc")]
    public void Read_WithMissingOrMalformedHeader_IsInvalid(string? header)
    {
        var payload = PaymentIntentEvent("evt_5", "payment_intent.succeeded", "pi_5", Guid.NewGuid().ToString());

        Assert.IsType<StripeWebhookEvent.Invalid>(_reader.Read(payload, header));
    }

    [Fact]
    public void Read_WhenBodyWasTamperedWith_IsInvalid()
    {
        var payload = PaymentIntentEvent("evt_6", "payment_intent.succeeded", "pi_6", Guid.NewGuid().ToString(), amount: 100);
        var header = Sign(payload, Secret);

        Assert.IsType<StripeWebhookEvent.Invalid>(_reader.Read(payload.Replace("\"amount\": 100", "\"amount\": 1"), header));
    }

    [Fact]
    public void Read_SignedLongerAgoThanTolerance_IsInvalid()
    {
        var payload = PaymentIntentEvent("evt_7", "payment_intent.succeeded", "pi_7", Guid.NewGuid().ToString());

        var result = _reader.Read(payload, Sign(payload, Secret, DateTimeOffset.UtcNow.AddMinutes(-10)));

        Assert.IsType<StripeWebhookEvent.Invalid>(result);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{\"type\":5}")]
    [InlineData("{\"id\":\"evt_8\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\",\"data\":{\"object\":[]}}")]
    public void Read_SignedBodyThatIsNotAnEvent_IsInvalid(string payload)
    {
        var result = _reader.Read(payload, Sign(payload, Secret));

        Assert.IsType<StripeWebhookEvent.Invalid>(result);
    }

    [Fact]
    public void Read_EmptyBody_IsInvalid()
    {
        Assert.IsType<StripeWebhookEvent.Invalid>(_reader.Read(string.Empty, Sign(string.Empty, Secret)));
    }

    [Fact]
    public void Read_WhenNoWebhookSecretIsConfigured_IsInvalid()
    {
        var payload = PaymentIntentEvent("evt_9", "payment_intent.succeeded", "pi_9", Guid.NewGuid().ToString());

        Assert.IsType<StripeWebhookEvent.Invalid>(Reader(string.Empty).Read(payload, Sign(payload, string.Empty)));
    }

    [Fact]
    public void Read_OtherEventType_IsIgnored()
    {
        var payload = StripeEvents.CustomerCreated("evt_10");

        var ignored = Assert.IsType<StripeWebhookEvent.Ignored>(_reader.Read(payload, Sign(payload, Secret)));
        Assert.Equal("evt_10", ignored.EventId);
        Assert.Equal("customer.created", ignored.EventType);
    }

    [Fact]
    public void Read_ChargeRefunded_ReturnsTheLatestRefundAndTheTotalOfThePaymentIntent()
    {
        var payload = StripeEvents.ChargeRefunded("evt_20", "pi_20", "re_20", amount: 2_500, amountRefunded: 1_000);

        var refunded = Assert.IsType<StripeWebhookEvent.ChargeRefunded>(_reader.Read(payload, Sign(payload, Secret)));

        Assert.Equal(new StripeWebhookEvent.ChargeRefunded("evt_20", "pi_20", "re_20", 1_000), refunded);
    }

    [Fact]
    public void Read_ChargeRefundedWithoutItsRefundList_NamesTheRefundByTheEvent()
    {
        var payload = ChargeRefundedWithoutRefunds("evt_21", "pi_21");

        var refunded = Assert.IsType<StripeWebhookEvent.ChargeRefunded>(_reader.Read(payload, Sign(payload, Secret)));

        Assert.Equal(new StripeWebhookEvent.ChargeRefunded("evt_21", "pi_21", "evt_21", 2_500), refunded);
    }

    [Fact]
    public void Read_ChargeRefundedOfAChargeWithoutPaymentIntent_IsIgnored()
    {
        var payload = ChargeRefundedWithoutRefunds("evt_22", paymentIntentId: null);

        Assert.IsType<StripeWebhookEvent.Ignored>(_reader.Read(payload, Sign(payload, Secret)));
    }

    [Fact]
    public void Read_DisputeCreated_ReturnsTheDisputeOfThePaymentIntent()
    {
        var payload = StripeEvents.DisputeCreated("evt_23", "pi_23", "dp_23", amount: 2_500, reason: "product_not_received");

        var dispute = Assert.IsType<StripeWebhookEvent.DisputeCreated>(_reader.Read(payload, Sign(payload, Secret)));

        Assert.Equal(new StripeWebhookEvent.DisputeCreated("evt_23", "pi_23", "dp_23", "product_not_received"), dispute);
    }

    [Fact]
    public void Read_PaymentFailed_ReturnsTheOrdersPaymentIntent()
    {
        var orderId = Guid.NewGuid();
        var payload = StripeEvents.PaymentIntentPaymentFailed("evt_11", "pi_11", orderId, 2_500);

        var failed = Assert.IsType<StripeWebhookEvent.PaymentFailed>(_reader.Read(payload, Sign(payload, Secret)));

        Assert.Equal(new StripeWebhookEvent.PaymentFailed("evt_11", "pi_11", orderId), failed);
    }

    [Theory]
    [InlineData("payment_intent.succeeded", null)]
    [InlineData("payment_intent.succeeded", "not-a-guid")]
    [InlineData("payment_intent.succeeded", "")]
    [InlineData("payment_intent.payment_failed", null)]
    [InlineData("payment_intent.payment_failed", "not-a-guid")]
    public void Read_PaymentIntentEventWithoutValidOrderId_IsIgnored(string type, string? orderId)
    {
        var payload = PaymentIntentEvent("evt_12", type, "pi_12", orderId);

        Assert.IsType<StripeWebhookEvent.Ignored>(_reader.Read(payload, Sign(payload, Secret)));
    }

    [Fact]
    public void Read_PaymentIntentCanceled_IsIgnored()
    {
        var payload = PaymentIntentEvent("evt_13", "payment_intent.canceled", "pi_13", Guid.NewGuid().ToString());

        Assert.IsType<StripeWebhookEvent.Ignored>(_reader.Read(payload, Sign(payload, Secret)));
    }

    private static StripeWebhookReader Reader(string secret) =>
        new(Options.Create(new PaymentsOptions { SecretKey = "sk_test_x", WebhookSecret = secret }));

    private static string Sign(string payload, string secret, DateTimeOffset? at = null) => StripeEvents.Sign(payload, secret, at);

    /// <summary>Stripe's scheme: hex HMAC-SHA256, keyed with the secret, of "{unix time}.{body}".</summary>
    private static string Hmac(string payload, string secret, DateTimeOffset at) => StripeEvents.Sign(payload, secret, at).Split("v1=")[1];

    private static string PaymentIntentEvent(string eventId, string type, string paymentIntentId, string? orderId, long amount = 2_500)
    {
        var metadata = orderId is null ? "{}" : $$"""{ "order_id": "{{orderId}}" }""";
        return $$"""
            {
              "id": "{{eventId}}",
              "object": "event",
              "api_version": "{{StripeConfiguration.ApiVersion}}",
              "created": {{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}},
              "livemode": false,
              "pending_webhooks": 1,
              "request": { "id": "req_8Xz", "idempotency_key": "order-attempt-1" },
              "type": "{{type}}",
              "data": {
                "object": {
                  "id": "{{paymentIntentId}}",
                  "object": "payment_intent",
                  "amount": {{amount}},
                  "amount_received": {{amount}},
                  "capture_method": "automatic",
                  "client_secret": "{{paymentIntentId}}_secret_x",
                  "confirmation_method": "automatic",
                  "created": {{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}},
                  "currency": "usd",
                  "description": "Ticket: Concert",
                  "latest_charge": "ch_3Pz",
                  "livemode": false,
                  "metadata": {{metadata}},
                  "payment_method": "pm_1Pz",
                  "payment_method_types": ["card"],
                  "status": "succeeded"
                }
              }
            }
            """;
    }

    private static string ChargeRefundedWithoutRefunds(string eventId, string? paymentIntentId) => $$"""
        {
          "id": "{{eventId}}",
          "object": "event",
          "api_version": "{{StripeConfiguration.ApiVersion}}",
          "created": {{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}},
          "livemode": false,
          "pending_webhooks": 1,
          "request": { "id": null, "idempotency_key": null },
          "type": "charge.refunded",
          "data": {
            "object": {
              "id": "ch_3Pz",
              "object": "charge",
              "amount": 2500,
              "amount_refunded": 2500,
              "currency": "usd",
              "payment_intent": {{(paymentIntentId is null ? "null" : $"\"{paymentIntentId}\"")}},
              "refunded": true,
              "status": "succeeded"
            }
          }
        }
        """;
}
