using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Ticketing.Domain.Orders;
using Ticketing.Testing;
using Ticketing.Web.Components.Pages.Orders;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Orders;

/// <summary>My orders for a buyer with a history of 1,000 orders: a page at a time, newest first, live.</summary>
public sealed class MyOrdersAtScaleTests : UiTestContext
{
    private const int PageSize = 20;

    private Guid _sellerId;
    private Guid _buyerId;
    private List<Order> _oldestFirst = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _sellerId = await CreateUserAsync("seller@example.com");
        _buyerId = await CreateUserAsync("buyer@example.com");
        _oldestFirst = await Catalogue.PlaceOrdersAsync(DatabasePath, _buyerId, _sellerId, 1_000, Start.AddMinutes(-1));
        await Catalogue.PlaceOrdersAsync(DatabasePath, await CreateUserAsync("other@example.com"), _sellerId, 300, Start.AddMinutes(-2));
        SignIn(_buyerId, "buyer@example.com");
    }

    [Fact]
    public void FirstPage_ShowsTheNewestOrders_WithALiveCountdownOnTheLiveOne()
    {
        var page = RenderPage();

        Assert.Equal(Newest(0), Ids(page));
        Assert.Equal("14:00 left", Rows(page)[0].QuerySelector("[data-countdown]")!.TextContent);
        Assert.Equal("1000", page.Find("[data-orders-list]").GetAttribute("data-result-count"));
        Assert.Equal("50", page.FindAll("[data-pager] [data-page]").Last(e => e.GetAttribute("data-action") is null).GetAttribute("data-page"));
    }

    [Fact]
    public void LastPage_ShowsTheOldestOrders()
    {
        Navigation.NavigateTo("/orders?page=50");

        var page = RenderPage();

        Assert.Equal(Newest(49), Ids(page));
        Assert.Equal(_oldestFirst[0].Id.ToString(), Ids(page)[^1]);
    }

    [Fact]
    public async Task NewOrder_PushedLive_GoesOnTopOfTheFirstPage()
    {
        var page = RenderPage();

        Clock.Advance(TimeSpan.FromMinutes(2));
        var fresh = (await ReserveAsync(_buyerId, (await ListTicketAsync(_sellerId, "Newer gig")).Id)).Order;
        PublishOrder(fresh);

        page.WaitForAssertion(() => Assert.Equal([fresh.Id.ToString(), .. Newest(0).Take(PageSize - 1)], Ids(page)));
    }

    [Fact]
    public async Task NewOrder_PushedLive_LeavesALaterPageAlone()
    {
        Navigation.NavigateTo("/orders?page=3");
        var page = RenderPage();

        var fresh = (await ReserveAsync(_buyerId, (await ListTicketAsync(_sellerId, "Newer gig")).Id)).Order;
        PublishOrder(fresh);

        // A newer version of an order on this page, pushed after: once it shows, the new order has been and gone.
        var shown = await TicketOrders.GetAsync(new(_buyerId), _oldestFirst[^45].Id);
        PublishOrder(shown with { Version = shown.Version + 1, Ticket = shown.Ticket with { Title = "Renamed by its seller" } });

        page.WaitForAssertion(() => Assert.Equal("Renamed by its seller", Row(page, shown.Id).QuerySelector("[data-order-title]")!.TextContent));
        Assert.Equal(Newest(2), Ids(page));
    }

    private IRenderedComponent<MyOrders> RenderPage()
    {
        var page = Context.Render<MyOrders>();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[aria-busy=true]")));
        return page;
    }

    private List<string> Newest(int page) =>
        Enumerable.Reverse(_oldestFirst).Skip(page * PageSize).Take(PageSize).Select(o => o.Id.ToString()).ToList();

    private static List<IElement> Rows(IRenderedComponent<MyOrders> page) => page.FindAll("[data-order-id]").ToList();

    private static IElement Row(IRenderedComponent<MyOrders> page, Guid id) => page.Find($"[data-order-id='{id}']");

    private static List<string> Ids(IRenderedComponent<MyOrders> page) => Rows(page).Select(r => r.GetAttribute("data-order-id")!).ToList();
}
