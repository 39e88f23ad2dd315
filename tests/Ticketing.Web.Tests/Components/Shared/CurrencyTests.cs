using Bunit;
using Ticketing.Web.Components.Pages;
using Ticketing.Web.Components.Pages.Admin;
using Ticketing.Web.Components.Pages.Listings;
using Ticketing.Web.Components.Pages.Orders;
using Ticketing.Web.Components.Pages.Tickets;
using Ticketing.Web.Tests.Components.Support;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Web.Tests.Components.Shared;

/// <summary>
/// With <c>Payments:Currency=eur</c>, every page that shows a price shows euros: the market's cards,
/// the ticket, the seller's and the buyer's lists, the order page and the admin dashboard.
/// </summary>
public sealed class CurrencyTests() : UiTestContext(settings: new Dictionary<string, string?> { ["Payments:Currency"] = "eur" })
{
    private const string Euros = "€85.00";

    private Guid _sellerId;
    private Guid _buyerId;
    private Guid _ticketId;
    private Guid _orderId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _sellerId = await CreateUserAsync("seller@example.com");
        _buyerId = await CreateUserAsync("buyer@example.com");
        _ticketId = (await ListTicketAsync(_sellerId, "Arctic Monkeys, floor", 85m)).Id;
        await ListTicketAsync(_sellerId, "Still on sale", 85m);
        (_, var order) = await ReserveAsync(_buyerId, _ticketId);
        _orderId = order.Id;
    }

    [Fact]
    public void Home_CardsShowEuros()
    {
        var cut = Context.Render<Home>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-ticket-id] [data-field=price]").Count));
        Assert.All(cut.FindAll("[data-ticket-id] [data-field=price]"), price => Assert.Equal(Euros, price.TextContent));
        AssertNoDollars(cut.Markup);
    }

    [Fact]
    public void TicketPage_ShowsEuros()
    {
        SignIn(_buyerId, "buyer@example.com");

        var cut = Context.Render<TicketDetail>(p => p.Add(x => x.Id, _ticketId));

        cut.WaitForAssertion(() => Assert.Equal(Euros, cut.Find("[data-field=price]").TextContent));
        AssertNoDollars(cut.Markup);
    }

    [Fact]
    public void MyListings_ShowEuros()
    {
        SignIn(_sellerId, "seller@example.com");
        RenderProviders();

        var cut = Context.Render<MyListings>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".listing-row__price").Count));
        Assert.All(cut.FindAll(".listing-row__price"), price => Assert.Equal(Euros, price.TextContent));
        AssertNoDollars(cut.Markup);
    }

    [Fact]
    public void MyOrders_ShowEuros()
    {
        SignIn(_buyerId, "buyer@example.com");

        var cut = Context.Render<MyOrders>();

        cut.WaitForAssertion(() => Assert.Equal(Euros, cut.Find("[data-order-price]").TextContent));
        AssertNoDollars(cut.Markup);
    }

    [Fact]
    public void OrderPage_ShowsEuros()
    {
        SignIn(_buyerId, "buyer@example.com");
        RenderProviders();

        var cut = Context.Render<OrderDetails>(p => p.Add(x => x.Id, _orderId));

        cut.WaitForAssertion(() => Assert.Equal(Euros, cut.Find("[data-order-price]").TextContent));
        AssertNoDollars(cut.Markup);
    }

    [Fact]
    public async Task AdminDashboard_GridsAndRevenueShowEuros()
    {
        await Service<Ticketing.Infrastructure.Payments.OrderPayments>().PayAsync(new Ticketing.Infrastructure.Identity.Actor(_buyerId), _orderId, "tok_visa");
        SignIn(Guid.NewGuid(), "admin@example.com", admin: true);
        RenderProviders();

        var cut = Context.Render<Dashboard>();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(Euros, cut.Find("[data-figure=revenue]").TextContent);
            Assert.Equal(2, cut.FindAll("[data-listings-grid] td").Count(td => td.TextContent.Trim() == Euros));
            Assert.Contains(cut.FindAll("[data-orders-grid] td"), td => td.TextContent.Trim() == Euros);
        });
        AssertNoDollars(cut.Markup);
    }

    [Fact]
    public void SellForm_AsksForThePriceInEuros()
    {
        SignIn(_sellerId, "seller@example.com");
        RenderProviders();

        var cut = Context.Render<SellTicket>();

        var price = cut.Find("[data-field=price]").ParentElement!.ParentElement!.ParentElement!.TextContent;
        Assert.Contains("€", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Up to €1,000,000.00", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("$", price, StringComparison.Ordinal);
        Assert.DoesNotContain("dollars", cut.Markup, StringComparison.OrdinalIgnoreCase);
    }

    private static void AssertNoDollars(string markup) => Assert.DoesNotContain("$85", markup, StringComparison.Ordinal);
}
