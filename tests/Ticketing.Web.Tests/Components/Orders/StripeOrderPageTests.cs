using Bunit;
using Ticketing.Web.Components.Pages.Orders;

namespace Ticketing.Web.Tests.Components.Orders;

/// <summary>The order page when a Stripe key is configured: no test cards, a payment-method field instead.</summary>
public sealed class StripeOrderPageTests() : PageTestContext(new Dictionary<string, string?>
{
    ["Stripe:SecretKey"] = "sk_test_not_a_real_key",

    // Nothing listens here: every call to "Stripe" fails at once, as when Stripe is unreachable.
    ["Stripe:ApiBase"] = "http://127.0.0.1:9",
})
{
    private Guid _buyerId;
    private Guid _orderId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var sellerId = await CreateUserAsync("seller@example.com");
        _buyerId = await CreateUserAsync("buyer@example.com");
        SignIn(_buyerId, "buyer@example.com");
        _orderId = (await ReserveAsync(_buyerId, (await ListTicketAsync(sellerId)).Id)).Id;
    }

    [Fact]
    public void Render_WithStripeConfigured_AsksForAPaymentMethodInsteadOfTestCards()
    {
        var page = RenderOrder();

        Assert.Empty(page.FindAll("[data-test-mode], input[data-test-card]"));
        Assert.Contains("Stripe payment method or token", page.Markup);
        Assert.True(PayButton(page).HasAttribute("disabled"));
    }

    [Fact]
    public async Task Pay_WhenStripeCannotBeReached_ShowsAnErrorAndStaysPayable()
    {
        var page = RenderOrder();

        await page.Find("input[type=text]").InputAsync(new() { Value = "pm_card_visa" });
        await PayButton(page).ClickAsync(new());

        page.WaitForAssertion(
            () => Assert.Contains("could not be reached. Nothing was charged", page.Find("[data-pay-error]").TextContent),
            TimeSpan.FromSeconds(15));
        Assert.Equal("created", page.Find("[data-order-status]").GetAttribute("data-order-status"));
        Assert.False(PayButton(page).HasAttribute("disabled"));
    }

    private IRenderedComponent<OrderDetails> RenderOrder()
    {
        var page = Context.Render<OrderDetails>(p => p.Add(x => x.Id, _orderId));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[aria-busy=true]")));
        return page;
    }

    private static AngleSharp.Dom.IElement PayButton(IRenderedComponent<OrderDetails> page) =>
        page.FindAll("button").Single(b => b.TextContent.Trim() == "Pay");
}
