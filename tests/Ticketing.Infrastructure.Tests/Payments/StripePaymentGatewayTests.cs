using Microsoft.Extensions.Logging.Abstractions;
using Stripe;
using Ticketing.Domain.Payments;
using Ticketing.Infrastructure.Payments;
using Ticketing.Testing;
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

    protected StripePaymentGateway CreateGateway(string secretKey, string? apiBase = null)
    {
        // No network retries: a retry would hide how many requests the gateway really made.
        var client = new StripeClient(
            apiKey: secretKey,
            httpClient: new SystemNetHttpClient(new HttpClient(), maxNetworkRetries: 0),
            apiBase: apiBase ?? Stub.BaseUrl);
        return new StripePaymentGateway(client, NullLogger<StripePaymentGateway>.Instance);
    }

    protected static ChargeRequest Charge(string token, long amountMinor = 2_500, string? attemptKey = null, Guid? orderId = null) =>
        new(orderId ?? Guid.NewGuid(), amountMinor, "USD", token, attemptKey ?? Guid.NewGuid().ToString(), "Ticket: Concert");
}

public sealed class StripeGatewayChargeTests : StripeStubTestBase
{
    [Fact]
    public async Task Charge_OpensTheOrdersPaymentIntentThenConfirmsItWithThePaymentMethod()
    {
        var orderId = Guid.NewGuid();

        var result = await Gateway.ChargeAsync(Charge("pm_card_visa", amountMinor: 2_550, attemptKey: "attempt-1", orderId: orderId), CancellationToken.None);

        Assert.Equal(ChargeOutcome.Succeeded, result.Outcome);
        Assert.StartsWith("pi_stub_", result.Reference);
        Assert.Equal(2, Stub.Requests.Count);
        var open = Stub.Requests[0];
        Assert.Equal(("POST", "/v1/payment_intents"), (open.Method, open.Path));
        Assert.Equal("2550", open.Form["amount"]);
        Assert.Equal("usd", open.Form["currency"]);
        Assert.Equal(orderId.ToString(), open.Form["metadata[order_id]"]);
        Assert.Equal("Ticket: Concert", open.Form["description"]);
        Assert.Equal("card", open.Form["allowed_payment_method_types[0]"]);
        Assert.False(open.Form.ContainsKey("confirm"));
        Assert.False(open.Form.ContainsKey("payment_method"));
        Assert.Equal($"order-{orderId}-payment", open.IdempotencyKey);
        Assert.Equal($"Bearer {StripeStub.SecretKey}", open.Authorization);
        var confirm = Stub.Requests[1];
        Assert.Equal(("POST", $"/v1/payment_intents/{result.Reference}/confirm"), (confirm.Method, confirm.Path));
        Assert.Equal("pm_card_visa", confirm.Form["payment_method"]);
        Assert.Equal("attempt-1", confirm.IdempotencyKey);
        Assert.Equal(("succeeded", 2_550L), (Stub.Intent(result.Reference!).Status, Stub.Intent(result.Reference!).Amount));
    }

    [Fact]
    public async Task Charge_WithCardToken_ConfirmsWithTheTokenAsPaymentMethodData()
    {
        var result = await Gateway.ChargeAsync(Charge("tok_visa"), CancellationToken.None);

        Assert.Equal(ChargeOutcome.Succeeded, result.Outcome);
        var confirm = Stub.Requests[^1];
        Assert.Equal("card", confirm.Form["payment_method_data[type]"]);
        Assert.Equal("tok_visa", confirm.Form["payment_method_data[card][token]"]);
        Assert.False(confirm.Form.ContainsKey("payment_method"));
    }

    [Theory]
    [InlineData("pm_card_chargeDeclined", "Your card was declined.")]
    [InlineData("tok_chargeDeclined", "Your card was declined.")]
    [InlineData("pm_card_chargeDeclinedInsufficientFunds", "Your card has insufficient funds.")]
    public async Task Charge_WhenCardDeclined_ReturnsDeclinedWithStripesMessageAndTheIntent(string token, string message)
    {
        var result = await Gateway.ChargeAsync(Charge(token), CancellationToken.None);

        Assert.Equal(ChargeOutcome.Declined, result.Outcome);
        Assert.Equal(message, result.Message);
        Assert.Equal("requires_payment_method", Stub.Intent(result.Reference!).Status);
        Assert.Empty(Stub.Charges);
    }

    [Theory]
    [InlineData("pm_card_doesNotExist")]
    [InlineData("tok_doesNotExist")]
    public async Task Charge_WithPaymentMethodStripeDoesNotKnow_ReturnsInvalidToken(string token)
    {
        var result = await Gateway.ChargeAsync(Charge(token), CancellationToken.None);

        Assert.Equal(ChargeOutcome.InvalidToken, result.Outcome);
        Assert.Equal("Unknown payment token", result.Message);
        Assert.Empty(Stub.Charges);
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

    [Theory]
    [InlineData("tok_visa", true)]
    [InlineData("ctoken_1NnQUf2eZvKYlo2CmVbIvQ2y", true)]
    [InlineData("ctoken_", false)]
    [InlineData("pm_1PzAbCdEfGhIjKlMnOpQrStU", true)]
    [InlineData("card_1PzAbC", true)]
    [InlineData("src_1PzAbC", true)]
    [InlineData("visa", false)]
    [InlineData("pm_", false)]
    [InlineData("pm_card visa", false)]
    [InlineData("tok_<script>", false)]
    public void IsPlausibleToken_AcceptsStripesIdFormsOnly(string token, bool plausible)
    {
        Assert.Equal(plausible, Gateway.IsPlausibleToken(token));
        Assert.False(Gateway.IsPlausibleToken("pm_" + new string('x', 300)));
    }

    [Fact]
    public async Task Charge_WhenAuthenticationIsRequired_ReturnsPendingWithTheIntentAndTheSecretItsBankStepNeeds()
    {
        var result = await Gateway.ChargeAsync(Charge("pm_card_authenticationRequired"), CancellationToken.None);

        Assert.Equal(ChargeOutcome.Pending, result.Outcome);
        Assert.Equal("requires_action", Stub.Intent(result.Reference!).Status);
        Assert.StartsWith($"{result.Reference}_secret_", result.ActionSecret);
    }

    [Fact]
    public async Task Charge_WithConfirmationToken_ConfirmsTheOrdersIntentWithItAndTheReturnUrl()
    {
        var orderId = Guid.NewGuid();
        var token = await Stub.CreateConfirmationTokenAsync(StripeTestCards.Visa);
        var request = Charge(token, amountMinor: 4_200, attemptKey: "order-7-attempt-1", orderId: orderId) with { ReturnUrl = "https://tickets.example/orders/7" };

        var result = await Gateway.ChargeAsync(request, CancellationToken.None);

        Assert.Equal((ChargeOutcome.Succeeded, (string?)null), (result.Outcome, result.ActionSecret));
        var confirm = Stub.Requests.Single(r => r.Path.EndsWith("/confirm", StringComparison.Ordinal));
        Assert.Equal(token, confirm.Form["confirmation_token"]);
        Assert.Equal("https://tickets.example/orders/7", confirm.Form["return_url"]);
        Assert.False(confirm.Form.ContainsKey("payment_method"));
        Assert.False(confirm.Form.ContainsKey("payment_method_data[type]"));
        Assert.Equal("order-7-attempt-1", confirm.IdempotencyKey);
        Assert.Equal(("succeeded", 4_200L, (Guid?)orderId), (Stub.Intent(result.Reference!).Status, Stub.Intent(result.Reference!).Amount, Stub.Intent(result.Reference!).OrderId));
    }

    [Theory]
    [InlineData(StripeTestCards.Declined, "Your card was declined.")]
    [InlineData(StripeTestCards.InsufficientFunds, "Your card has insufficient funds.")]
    public async Task Charge_WithConfirmationTokenOfADecliningCard_ReturnsDeclined(string card, string message)
    {
        var result = await Gateway.ChargeAsync(Charge(await Stub.CreateConfirmationTokenAsync(card)), CancellationToken.None);

        Assert.Equal((ChargeOutcome.Declined, message), (result.Outcome, result.Message));
        Assert.Empty(Stub.Charges);
    }

    [Fact]
    public async Task Charge_WithConfirmationTokenOfA3DSecureCard_ReturnsPendingWithTheClientSecret()
    {
        var result = await Gateway.ChargeAsync(Charge(await Stub.CreateConfirmationTokenAsync(StripeTestCards.ThreeDSecure)), CancellationToken.None);

        Assert.Equal(ChargeOutcome.Pending, result.Outcome);
        Assert.StartsWith($"{result.Reference}_secret_", result.ActionSecret);
        Assert.Equal("requires_action", Stub.Intent(result.Reference!).Status);
    }

    [Fact]
    public async Task Charge_WithConfirmationTokenStripeDoesNotKnow_ReturnsInvalidToken()
    {
        var result = await Gateway.ChargeAsync(Charge("ctoken_1NnQUf2eZvKYlo2CmVbIvQ2y"), CancellationToken.None);

        Assert.Equal(ChargeOutcome.InvalidToken, result.Outcome);
        Assert.Empty(Stub.Charges);
    }

    [Fact]
    public async Task Charge_WhenStripeRefusesToOpenTheIntent_IsUnavailableAndConfirmsNothing()
    {
        await Assert.ThrowsAsync<PaymentProviderUnavailableException>(() => Gateway.ChargeAsync(Charge("pm_card_visa", amountMinor: 10), CancellationToken.None));

        Assert.Equal(0, Stub.ConfirmRequests);
    }

    [Fact]
    public async Task Charge_WithRejectedApiKey_IsUnavailable()
    {
        var gateway = CreateGateway("sk_test_wrong");

        await Assert.ThrowsAsync<PaymentProviderUnavailableException>(() => gateway.ChargeAsync(Charge("pm_card_visa"), CancellationToken.None));

        Assert.Equal(0, Stub.ConfirmRequests);
    }

    [Fact]
    public async Task Charge_WhenStripeCannotBeReached_IsUnavailable()
    {
        // Nothing listens on the discard port.
        var gateway = CreateGateway(StripeStub.SecretKey, apiBase: "http://127.0.0.1:9");

        await Assert.ThrowsAsync<PaymentProviderUnavailableException>(() => gateway.ChargeAsync(Charge("pm_card_visa"), CancellationToken.None));
    }
}

/// <summary>One PaymentIntent per order, confirmed once per attempt: however often and with whatever card.</summary>
public sealed class StripeGatewayIdempotencyTests : StripeStubTestBase
{
    [Fact]
    public async Task Charge_RetriedForTheSameAttempt_ConfirmsOnceAndReturnsTheSameIntent()
    {
        var request = Charge("pm_card_visa", attemptKey: "order-42-attempt-1");

        var first = await Gateway.ChargeAsync(request, CancellationToken.None);
        var retry = await Gateway.ChargeAsync(request, CancellationToken.None);

        Assert.Equal(first, retry);
        Assert.Equal(1, Stub.PaymentIntentsCreated);
        Assert.Single(Stub.Charges);
        Assert.Equal(2, Stub.ConfirmRequests);
        Assert.All(Stub.Requests.Where(r => r.Path.EndsWith("/confirm", StringComparison.Ordinal)), r => Assert.Equal("order-42-attempt-1", r.IdempotencyKey));
    }

    [Fact]
    public async Task Charge_DeclinedThenPaidInANewAttempt_UsesTheOrdersOneIntent()
    {
        var orderId = Guid.NewGuid();

        var declined = await Gateway.ChargeAsync(Charge("pm_card_chargeDeclined", attemptKey: "attempt-1", orderId: orderId), CancellationToken.None);
        var paid = await Gateway.ChargeAsync(Charge("tok_visa", attemptKey: "attempt-2", orderId: orderId), CancellationToken.None);

        Assert.Equal((ChargeOutcome.Declined, ChargeOutcome.Succeeded), (declined.Outcome, paid.Outcome));
        Assert.Equal(declined.Reference, paid.Reference);
        var intent = Assert.Single(Stub.IntentsFor(orderId));
        Assert.Equal("succeeded", intent.Status);
    }

    [Fact]
    public async Task Charge_ANewAttemptAfterTheIntentSucceeded_ReportsThatPaymentAndTakesNothingMore()
    {
        var orderId = Guid.NewGuid();
        var paid = await Gateway.ChargeAsync(Charge("pm_card_visa", attemptKey: "attempt-1", orderId: orderId), CancellationToken.None);

        var again = await Gateway.ChargeAsync(Charge("pm_card_mastercard", attemptKey: "attempt-2", orderId: orderId), CancellationToken.None);

        Assert.Equal(ChargeResult.Success(paid.Reference!), again);
        Assert.Single(Stub.IntentsFor(orderId));
        Assert.Single(Stub.Charges);
    }

    [Fact]
    public async Task Charge_ForTwoOrders_OpensTwoIntents()
    {
        var first = await Gateway.ChargeAsync(Charge("pm_card_visa"), CancellationToken.None);
        var second = await Gateway.ChargeAsync(Charge("pm_card_visa"), CancellationToken.None);

        Assert.NotEqual(first.Reference, second.Reference);
        Assert.Equal(2, Stub.PaymentIntentsCreated);
    }

    [Fact]
    public async Task Charge_DeclineRetriedForTheSameAttempt_IsDeclinedAgain()
    {
        var request = Charge("pm_card_chargeDeclined", attemptKey: "declined-attempt");

        await Gateway.ChargeAsync(request, CancellationToken.None);
        var retry = await Gateway.ChargeAsync(request, CancellationToken.None);

        Assert.Equal(ChargeOutcome.Declined, retry.Outcome);
        Assert.Empty(Stub.Charges);
    }
}

public sealed class StripeGatewayLookupTests : StripeStubTestBase
{
    [Fact]
    public async Task FindCharge_AfterTheConfirmTookTheMoney_SaysSucceededWithTheAmount()
    {
        var request = Charge("pm_card_visa", amountMinor: 4_000);
        var paid = await Gateway.ChargeAsync(request, CancellationToken.None);

        var found = await Gateway.FindChargeAsync(request.Lookup, CancellationToken.None);

        Assert.Equal(new ChargeStatus(ChargeState.Succeeded, paid.Reference, 4_000, "usd"), found);
        Assert.Equal(1, Stub.PaymentIntentsCreated);
    }

    [Fact]
    public async Task FindCharge_WhenNothingWasEverSent_SaysNotChargedAndTakesNoMoney()
    {
        var request = Charge("pm_card_visa");

        var found = await Gateway.FindChargeAsync(request.Lookup, CancellationToken.None);
        var again = await Gateway.FindChargeAsync(request.Lookup, CancellationToken.None);

        Assert.Equal(ChargeState.NotCharged, found.State);
        Assert.Equal(found, again);
        Assert.Single(Stub.IntentsFor(request.OrderId));
        Assert.Empty(Stub.Charges);
    }

    [Fact]
    public async Task FindCharge_WhileAuthenticationIsRequired_SaysPending()
    {
        var request = Charge("pm_card_authenticationRequired");
        var pending = await Gateway.ChargeAsync(request, CancellationToken.None);

        var found = await Gateway.FindChargeAsync(request.Lookup, CancellationToken.None);

        Assert.Equal(new ChargeStatus(ChargeState.Pending, pending.Reference, ActionSecret: pending.ActionSecret), found);
        Assert.StartsWith($"{pending.Reference}_secret_", found.ActionSecret);
    }

    [Fact]
    public async Task Cancel_APendingIntent_CancelsItUnderTheGivenKey_AndCancellingAgainIsFine()
    {
        var pending = await Gateway.ChargeAsync(Charge("pm_card_authenticationRequired"), CancellationToken.None);

        Assert.True(await Gateway.CancelAsync(pending.Reference!, "cancel-key", CancellationToken.None));
        Assert.True(await Gateway.CancelAsync(pending.Reference!, "cancel-key", CancellationToken.None));

        Assert.Equal("canceled", Stub.Intent(pending.Reference!).Status);
        Assert.All(Stub.Requests.Where(r => r.Path.EndsWith("/cancel", StringComparison.Ordinal)), r => Assert.Equal("cancel-key", r.IdempotencyKey));
    }

    [Fact]
    public async Task Cancel_AnIntentThatTookTheMoney_ReturnsFalseAndLeavesIt()
    {
        var paid = await Gateway.ChargeAsync(Charge("pm_card_visa"), CancellationToken.None);

        Assert.False(await Gateway.CancelAsync(paid.Reference!, "cancel-key", CancellationToken.None));

        Assert.Equal("succeeded", Stub.Intent(paid.Reference!).Status);
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
