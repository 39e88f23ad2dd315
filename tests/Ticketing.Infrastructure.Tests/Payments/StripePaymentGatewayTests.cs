using Microsoft.Extensions.Logging.Abstractions;
using Stripe;
using Ticketing.Domain.Payments;
using Ticketing.Infrastructure.Payments;
using ChargeOutcome = Ticketing.Domain.Payments.ChargeOutcome;

namespace Ticketing.Infrastructure.Tests.Payments;

/// <summary>A real Stripe.net client pointed at a fresh <see cref="StripeStub"/> per test.</summary>
public abstract class StripeStubTestBase : IAsyncLifetime
{
    protected StripeStub Stub { get; private set; } = null!;

    protected StripePaymentGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stub = await StripeStub.StartAsync();
        Gateway = CreateGateway(StripeStub.SecretKey);
    }

    public async Task DisposeAsync() => await Stub.DisposeAsync();

    protected StripePaymentGateway CreateGateway(string secretKey)
    {
        // No network retries: a retry would hide how many requests the gateway really made.
        var client = new StripeClient(
            apiKey: secretKey,
            httpClient: new SystemNetHttpClient(new HttpClient(), maxNetworkRetries: 0),
            apiBase: Stub.BaseUrl);
        return new StripePaymentGateway(client, NullLogger<StripePaymentGateway>.Instance);
    }

    protected static ChargeRequest Charge(string token, long amountMinor = 2_500, string? idempotencyKey = null, Guid? orderId = null) =>
        new(orderId ?? Guid.NewGuid(), amountMinor, "USD", token, idempotencyKey ?? Guid.NewGuid().ToString(), "Ticket: Concert");
}

public sealed class StripeGatewayChargeTests : StripeStubTestBase
{
    [Fact]
    public async Task Charge_WithPaymentMethod_SendsConfirmedCardPaymentIntentAndSucceeds()
    {
        var orderId = Guid.NewGuid();
        var request = Charge("pm_card_visa", amountMinor: 2_550, idempotencyKey: "charge-key-1", orderId: orderId);

        var result = await Gateway.ChargeAsync(request, CancellationToken.None);

        Assert.Equal(ChargeOutcome.Succeeded, result.Outcome);
        Assert.StartsWith("pi_stub_", result.Reference);
        var sent = Assert.Single(Stub.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/payment_intents", sent.Path);
        Assert.Equal("2550", sent.Form["amount"]);
        Assert.Equal("usd", sent.Form["currency"]);
        Assert.Equal("true", sent.Form["confirm"]);
        Assert.Equal("pm_card_visa", sent.Form["payment_method"]);
        Assert.False(sent.Form.ContainsKey("payment_method_data[type]"));
        Assert.Equal(orderId.ToString(), sent.Form["metadata[order_id]"]);
        Assert.Equal("Ticket: Concert", sent.Form["description"]);
        Assert.Equal("card", sent.Form["allowed_payment_method_types[0]"]);
        Assert.Equal("charge-key-1", sent.IdempotencyKey);
        Assert.Equal($"Bearer {StripeStub.SecretKey}", sent.Authorization);
    }

    [Fact]
    public async Task Charge_WithCardToken_SendsTokenAsPaymentMethodDataAndSucceeds()
    {
        var result = await Gateway.ChargeAsync(Charge("tok_visa"), CancellationToken.None);

        Assert.Equal(ChargeOutcome.Succeeded, result.Outcome);
        var sent = Assert.Single(Stub.Requests);
        Assert.Equal("card", sent.Form["payment_method_data[type]"]);
        Assert.Equal("tok_visa", sent.Form["payment_method_data[card][token]"]);
        Assert.False(sent.Form.ContainsKey("payment_method"));
    }

    [Theory]
    [InlineData("pm_card_chargeDeclined", "Your card was declined.")]
    [InlineData("tok_chargeDeclined", "Your card was declined.")]
    [InlineData("pm_card_chargeDeclinedInsufficientFunds", "Your card has insufficient funds.")]
    public async Task Charge_WhenCardDeclined_ReturnsDeclinedWithStripesMessage(string token, string message)
    {
        var result = await Gateway.ChargeAsync(Charge(token), CancellationToken.None);

        Assert.Equal(ChargeOutcome.Declined, result.Outcome);
        Assert.Null(result.Reference);
        Assert.Equal(message, result.Message);
    }

    [Theory]
    [InlineData("pm_card_doesNotExist")]
    [InlineData("tok_doesNotExist")]
    public async Task Charge_WithPaymentMethodStripeDoesNotKnow_ReturnsInvalidToken(string token)
    {
        var result = await Gateway.ChargeAsync(Charge(token), CancellationToken.None);

        Assert.Equal(ChargeOutcome.InvalidToken, result.Outcome);
        Assert.Null(result.Reference);
        Assert.Equal("Unknown payment token", result.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Charge_WithBlankToken_ReturnsInvalidTokenWithoutCallingStripe(string token)
    {
        var result = await Gateway.ChargeAsync(Charge(token), CancellationToken.None);

        Assert.Equal(ChargeOutcome.InvalidToken, result.Outcome);
        Assert.Empty(Stub.Requests);
    }

    [Fact]
    public async Task Charge_WhenAuthenticationIsRequired_ReturnsPendingWithTheIntent()
    {
        var result = await Gateway.ChargeAsync(Charge("pm_card_authenticationRequired"), CancellationToken.None);

        Assert.Equal(ChargeOutcome.Pending, result.Outcome);
        Assert.StartsWith("pi_stub_", result.Reference);
    }

    [Fact]
    public async Task Charge_WithInvalidRequestNotAboutThePaymentMethod_Throws()
    {
        var ex = await Assert.ThrowsAsync<StripeException>(() => Gateway.ChargeAsync(Charge("pm_card_visa", amountMinor: 10), CancellationToken.None));

        Assert.Equal("amount_too_small", ex.StripeError.Code);
    }

    [Fact]
    public async Task Charge_WithRejectedApiKey_Throws()
    {
        var gateway = CreateGateway("sk_test_wrong");

        var ex = await Assert.ThrowsAnyAsync<StripeException>(() => gateway.ChargeAsync(Charge("pm_card_visa"), CancellationToken.None));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, ex.HttpStatusCode);
    }
}

public sealed class StripeGatewayIdempotencyTests : StripeStubTestBase
{
    [Fact]
    public async Task Charge_RetriedWithSameKey_CreatesOneIntentAndReturnsSameReference()
    {
        var request = Charge("pm_card_visa", idempotencyKey: "order-42-attempt-1");

        var first = await Gateway.ChargeAsync(request, CancellationToken.None);
        var retry = await Gateway.ChargeAsync(request, CancellationToken.None);

        Assert.Equal(ChargeOutcome.Succeeded, retry.Outcome);
        Assert.Equal(first.Reference, retry.Reference);
        Assert.Equal(1, Stub.PaymentIntentsCreated);
        Assert.Equal(2, Stub.Requests.Count);
        Assert.All(Stub.Requests, r => Assert.Equal("order-42-attempt-1", r.IdempotencyKey));
    }

    [Fact]
    public async Task Charge_WithDifferentKeys_CreatesTwoIntents()
    {
        var first = await Gateway.ChargeAsync(Charge("pm_card_visa"), CancellationToken.None);
        var second = await Gateway.ChargeAsync(Charge("pm_card_visa"), CancellationToken.None);

        Assert.NotEqual(first.Reference, second.Reference);
        Assert.Equal(2, Stub.PaymentIntentsCreated);
    }

    [Fact]
    public async Task Charge_DeclineRetriedWithSameKey_IsDeclinedAgain()
    {
        var request = Charge("pm_card_chargeDeclined", idempotencyKey: "declined-key");

        await Gateway.ChargeAsync(request, CancellationToken.None);
        var retry = await Gateway.ChargeAsync(request, CancellationToken.None);

        Assert.Equal(ChargeOutcome.Declined, retry.Outcome);
        Assert.Equal(0, Stub.PaymentIntentsCreated);
    }
}

public sealed class StripeGatewayRefundTests : StripeStubTestBase
{
    [Fact]
    public async Task Refund_SendsPaymentIntentAmountAndKey_AndReturnsRefundId()
    {
        var charge = await Gateway.ChargeAsync(Charge("pm_card_visa", amountMinor: 4_000), CancellationToken.None);

        var refundId = await Gateway.RefundAsync(new RefundRequest(charge.Reference!, 4_000, "refund-key-1"), CancellationToken.None);

        Assert.StartsWith("re_stub_", refundId);
        var sent = Stub.Requests[^1];
        Assert.Equal("/v1/refunds", sent.Path);
        Assert.Equal(charge.Reference, sent.Form["payment_intent"]);
        Assert.Equal("4000", sent.Form["amount"]);
        Assert.Equal("refund-key-1", sent.IdempotencyKey);
        Assert.Equal($"Bearer {StripeStub.SecretKey}", sent.Authorization);
    }

    [Fact]
    public async Task Refund_RetriedWithSameKey_RefundsOnce()
    {
        var charge = await Gateway.ChargeAsync(Charge("tok_visa"), CancellationToken.None);
        var request = new RefundRequest(charge.Reference!, 2_500, "refund-key-2");

        var first = await Gateway.RefundAsync(request, CancellationToken.None);
        var retry = await Gateway.RefundAsync(request, CancellationToken.None);

        Assert.Equal(first, retry);
        Assert.Equal(1, Stub.RefundsCreated);
    }

    [Fact]
    public async Task Refund_OfUnknownPaymentIntent_Throws()
    {
        await Assert.ThrowsAnyAsync<StripeException>(
            () => Gateway.RefundAsync(new RefundRequest("pi_missing", 100, "refund-key-3"), CancellationToken.None));
    }
}
