using Ticketing.Domain.Payments;
using Ticketing.Infrastructure.Payments;

namespace Ticketing.Infrastructure.Tests.Payments;

public sealed class TestGatewayChargeTests
{
    private readonly TestPaymentGateway _gateway = new();

    [Theory]
    [InlineData("tok_visa")]
    [InlineData("pm_card_visa")]
    [InlineData("tok_mastercard")]
    [InlineData("pm_card_mastercard")]
    public async Task Charge_WithSucceedingTestValue_Succeeds(string token)
    {
        var result = await _gateway.ChargeAsync(Charge(token), CancellationToken.None);

        Assert.Equal(ChargeOutcome.Succeeded, result.Outcome);
        Assert.Matches("^pi_test_[0-9a-f]{32}$", result.Reference);
        Assert.Null(result.Message);
    }

    [Theory]
    [InlineData("tok_chargeDeclined")]
    [InlineData("pm_card_chargeDeclined")]
    [InlineData("tok_chargeDeclinedInsufficientFunds")]
    [InlineData("pm_card_chargeDeclinedInsufficientFunds")]
    public async Task Charge_WithDecliningTestValue_IsDeclined(string token)
    {
        var result = await _gateway.ChargeAsync(Charge(token), CancellationToken.None);

        Assert.Equal(ChargeOutcome.Declined, result.Outcome);
        Assert.Matches("^pi_test_[0-9a-f]{32}$", result.Reference);
        Assert.Equal("Your card was declined.", result.Message);
    }

    [Theory]
    [InlineData("tok_unknown")]
    [InlineData("pm_card_amex_not_supported_here")]
    [InlineData("TOK_VISA")]
    [InlineData("")]
    public async Task Charge_WithAnyOtherToken_IsInvalidToken(string token)
    {
        var result = await _gateway.ChargeAsync(Charge(token), CancellationToken.None);

        Assert.Equal(ChargeOutcome.InvalidToken, result.Outcome);
        Assert.Equal("Unknown payment token", result.Message);
    }

    [Fact]
    public void Name_IsTest() => Assert.Equal("test", _gateway.Name);

    [Theory]
    [InlineData("tok_visa", true)]
    [InlineData("pm_card_chargeDeclined", true)]
    [InlineData("tok_unknown", false)]
    [InlineData("TOK_VISA", false)]
    public void IsPlausibleToken_IsTrueForTheTokensItAcceptsOrDeclines(string token, bool plausible) =>
        Assert.Equal(plausible, _gateway.IsPlausibleToken(token));

    internal static ChargeRequest Charge(string token, string? attemptKey = null, Guid? orderId = null) =>
        new(orderId ?? Guid.NewGuid(), 2_500, "usd", token, attemptKey ?? Guid.NewGuid().ToString());
}

public sealed class TestGatewayIdempotencyTests
{
    private readonly TestPaymentGateway _gateway = new();

    [Fact]
    public async Task Charge_RetriedWithSameKey_ReturnsSameReference()
    {
        var request = TestGatewayChargeTests.Charge("tok_visa", "key-1");

        var first = await _gateway.ChargeAsync(request, CancellationToken.None);
        var retry = await _gateway.ChargeAsync(request, CancellationToken.None);

        Assert.Equal(first, retry);
    }

    [Fact]
    public async Task Charge_ForTwoOrders_OpensTwoPayments()
    {
        var first = await _gateway.ChargeAsync(TestGatewayChargeTests.Charge("tok_visa"), CancellationToken.None);
        var second = await _gateway.ChargeAsync(TestGatewayChargeTests.Charge("tok_visa"), CancellationToken.None);

        Assert.NotEqual(first.Reference, second.Reference);
    }

    [Fact]
    public async Task Charge_DeclinedThenANewAttempt_ConfirmsTheOrdersOnePayment()
    {
        var orderId = Guid.NewGuid();

        var declined = await _gateway.ChargeAsync(TestGatewayChargeTests.Charge("tok_chargeDeclined", "attempt-1", orderId), CancellationToken.None);
        var paid = await _gateway.ChargeAsync(TestGatewayChargeTests.Charge("tok_visa", "attempt-2", orderId), CancellationToken.None);

        Assert.Equal((ChargeOutcome.Declined, ChargeOutcome.Succeeded), (declined.Outcome, paid.Outcome));
        Assert.Equal(declined.Reference, paid.Reference);
    }

    [Fact]
    public async Task Charge_ANewAttemptAfterThePaymentSucceeded_ReportsThatPaymentAndTakesNothingMore()
    {
        var orderId = Guid.NewGuid();
        var paid = await _gateway.ChargeAsync(TestGatewayChargeTests.Charge("tok_visa", "attempt-1", orderId), CancellationToken.None);

        var again = await _gateway.ChargeAsync(TestGatewayChargeTests.Charge("tok_mastercard", "attempt-2", orderId), CancellationToken.None);

        Assert.Equal(paid, again);
        var found = await _gateway.FindChargeAsync(new ChargeLookup(orderId, 2_500, "usd"), CancellationToken.None);
        Assert.Equal(new ChargeStatus(ChargeState.Succeeded, paid.Reference, 2_500, "usd"), found);
    }

    [Fact]
    public async Task Charge_DeclineRetriedWithSameKey_IsDeclinedAgain()
    {
        var request = TestGatewayChargeTests.Charge("pm_card_chargeDeclined", "key-2");

        await _gateway.ChargeAsync(request, CancellationToken.None);
        var retry = await _gateway.ChargeAsync(request, CancellationToken.None);

        Assert.Equal(ChargeOutcome.Declined, retry.Outcome);
    }

    [Fact]
    public async Task Charge_ReusingKeyForDifferentRequest_Throws()
    {
        await _gateway.ChargeAsync(TestGatewayChargeTests.Charge("tok_chargeDeclined", "key-3"), CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => _gateway.ChargeAsync(TestGatewayChargeTests.Charge("tok_visa", "key-3"), CancellationToken.None));
    }

    [Fact]
    public async Task Charge_ConcurrentRetriesWithSameKey_AllSeeOneReference()
    {
        var request = TestGatewayChargeTests.Charge("pm_card_visa", "key-4");

        var results = await Task.WhenAll(Enumerable.Range(0, 64)
            .Select(_ => Task.Run(() => _gateway.ChargeAsync(request, CancellationToken.None))));

        Assert.Single(results.Select(r => r.Reference).Distinct());
    }
}

public sealed class TestGatewayLookupTests
{
    private readonly TestPaymentGateway _gateway = new();

    [Fact]
    public async Task FindCharge_ForAnOrderNeverCharged_SaysNotCharged()
    {
        var found = await _gateway.FindChargeAsync(new ChargeLookup(Guid.NewGuid(), 2_500, "usd"), CancellationToken.None);

        Assert.Equal(ChargeStatus.None, found);
    }

    [Fact]
    public async Task FindCharge_AfterADecline_SaysNotChargedWithThePayment()
    {
        var request = TestGatewayChargeTests.Charge("tok_chargeDeclined");
        var declined = await _gateway.ChargeAsync(request, CancellationToken.None);

        var found = await _gateway.FindChargeAsync(request.Lookup, CancellationToken.None);

        Assert.Equal(new ChargeStatus(ChargeState.NotCharged, declined.Reference), found);
    }

    [Fact]
    public async Task Cancel_APaymentThatTookNoMoney_StopsIt_AndALaterAttemptIsDeclined()
    {
        var request = TestGatewayChargeTests.Charge("tok_chargeDeclined", "attempt-1");
        var declined = await _gateway.ChargeAsync(request, CancellationToken.None);

        Assert.True(await _gateway.CancelAsync(declined.Reference!, "cancel-key", CancellationToken.None));
        var later = await _gateway.ChargeAsync(request with { Token = "tok_visa", AttemptKey = "attempt-2" }, CancellationToken.None);

        Assert.Equal(ChargeOutcome.Declined, later.Outcome);
        Assert.Equal(ChargeState.NotCharged, (await _gateway.FindChargeAsync(request.Lookup, CancellationToken.None)).State);
    }

    [Fact]
    public async Task Cancel_APaymentThatTookTheMoney_ReturnsFalse()
    {
        var paid = await _gateway.ChargeAsync(TestGatewayChargeTests.Charge("tok_visa"), CancellationToken.None);

        Assert.False(await _gateway.CancelAsync(paid.Reference!, "cancel-key", CancellationToken.None));
    }
}

public sealed class TestGatewayRefundTests
{
    private readonly TestPaymentGateway _gateway = new();

    [Fact]
    public async Task Refund_ReturnsTestRefundId()
    {
        var charge = await _gateway.ChargeAsync(TestGatewayChargeTests.Charge("tok_visa"), CancellationToken.None);

        var refundId = await _gateway.RefundAsync(new RefundRequest(charge.Reference!, 2_500, "refund-1"), CancellationToken.None);

        Assert.Matches("^re_test_[0-9a-f]{32}$", refundId);
    }

    [Fact]
    public async Task Refund_RetriedWithSameKey_ReturnsSameRefundId()
    {
        var request = new RefundRequest("pi_test_0123456789abcdef0123456789abcdef", 2_500, "refund-2");

        var first = await _gateway.RefundAsync(request, CancellationToken.None);
        var retry = await _gateway.RefundAsync(request, CancellationToken.None);

        Assert.Equal(first, retry);
    }

    [Fact]
    public async Task Refund_WithDifferentKeys_ReturnsDifferentRefundIds()
    {
        var first = await _gateway.RefundAsync(new RefundRequest("pi_test_a", 100, "refund-3"), CancellationToken.None);
        var second = await _gateway.RefundAsync(new RefundRequest("pi_test_b", 100, "refund-4"), CancellationToken.None);

        Assert.NotEqual(first, second);
    }
}
