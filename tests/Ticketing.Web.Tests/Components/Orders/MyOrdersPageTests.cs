using AngleSharp.Dom;
using Bunit;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Web.Components.Pages.Orders;
using Ticketing.Infrastructure.Identity;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Orders;

/// <summary>My orders: the signed-in buyer's orders, newest first, kept current by the live feed.</summary>
public sealed class MyOrdersPageTests : UiTestContext
{
    private Guid _sellerId;
    private Guid _buyerId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _sellerId = await CreateUserAsync("seller@example.com");
        _buyerId = await CreateUserAsync("buyer@example.com");
        SignIn(_buyerId, "buyer@example.com");
    }

    [Fact]
    public void Render_WithoutOrders_ShowsTheEmptyState()
    {
        var page = RenderPage();

        Assert.NotNull(page.Find("[data-orders-empty]"));
        Assert.Contains("No orders yet", page.Markup);
        Assert.Empty(page.FindAll("[data-order-id]"));
    }

    [Fact]
    public async Task Render_ListsTheBuyersOrdersNewestFirst_WithAStatusChipAndALinkEach()
    {
        var first = (await ReserveAsync(_buyerId, (await ListTicketAsync(_sellerId, "First gig", 10m)).Id)).Order;
        await PayAsync(_buyerId, first.Id);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var second = (await ReserveAsync(_buyerId, (await ListTicketAsync(_sellerId, "Second gig", 20m)).Id)).Order;
        await TicketOrders.CancelAsync(new Actor(_buyerId), second.Id);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var third = (await ReserveAsync(_buyerId, (await ListTicketAsync(_sellerId, "Third gig", 30m)).Id)).Order;
        var otherBuyer = await CreateUserAsync("other@example.com");
        await ReserveAsync(otherBuyer, (await ListTicketAsync(_sellerId, "Someone else's gig", 40m)).Id);

        var page = RenderPage();

        var rows = Rows(page);
        Assert.Equal(["Third gig", "Second gig", "First gig"], rows.Select(r => r.QuerySelector("[data-order-title]")!.TextContent));
        Assert.Equal(["created", "cancelled", "complete"], rows.Select(r => r.GetAttribute("data-order-status")));
        Assert.Equal(["Reserved", "Cancelled by you", "Paid"], rows.Select(r => r.QuerySelector("[data-status-chip]")!.TextContent.Trim()));
        Assert.Equal($"orders/{third.Id}", rows[0].QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("$30.00", rows[0].QuerySelector("[data-order-price]")!.TextContent);
        Assert.Equal("15:00 left", rows[0].QuerySelector("[data-countdown]")!.TextContent);
        Assert.Null(rows[2].QuerySelector("[data-countdown]"));
    }

    [Fact]
    public async Task LiveUpdate_OfTheBuyersOrder_UpdatesItsRowInPlace()
    {
        var order = (await ReserveAsync(_buyerId, (await ListTicketAsync(_sellerId)).Id)).Order;
        var page = RenderPage();
        Assert.Equal("created", Rows(page).Single().GetAttribute("data-order-status"));

        PublishOrder(await PayAsync(_buyerId, order.Id));

        page.WaitForAssertion(() => Assert.Equal("complete", Rows(page).Single().GetAttribute("data-order-status")));
        Assert.Equal("Paid", Rows(page).Single().QuerySelector("[data-status-chip]")!.TextContent.Trim());
    }

    [Fact]
    public async Task LiveUpdate_OfANewOrder_PutsItOnTop()
    {
        await ReserveAsync(_buyerId, (await ListTicketAsync(_sellerId, "Older gig")).Id);
        var page = RenderPage();

        // Reserved in another tab: the outbox pushes the new order.
        var fresh = (await ReserveAsync(_buyerId, (await ListTicketAsync(_sellerId, "Newer gig")).Id)).Order;
        PublishOrder(fresh);

        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));
        Assert.Equal(fresh.Id.ToString(), Rows(page)[0].GetAttribute("data-order-id"));
    }

    [Fact]
    public async Task LiveUpdate_OfSomeoneElsesOrder_IsNotShown()
    {
        var page = RenderPage();
        var otherBuyer = await CreateUserAsync("other@example.com");

        PublishOrder((await ReserveAsync(otherBuyer, (await ListTicketAsync(_sellerId)).Id)).Order);

        Assert.NotNull(page.Find("[data-orders-empty]"));
        Assert.Empty(page.FindAll("[data-order-id]"));
    }

    [Fact]
    public async Task Render_CancelledOrders_SayWhoCancelledThem_AfterTheirWindowHasPassed()
    {
        var byBuyer = (await ReserveAsync(_buyerId, (await ListTicketAsync(_sellerId, "Cancelled by the buyer")).Id)).Order;
        await TicketOrders.CancelAsync(new Actor(_buyerId), byBuyer.Id);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var byAdmin = (await ReserveAsync(_buyerId, (await ListTicketAsync(_sellerId, "Cancelled by an admin")).Id)).Order;
        await TicketOrders.CancelAsync(new Actor(await CreateUserAsync("admin@example.com"), IsAdmin: true), byAdmin.Id);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var live = (await ReserveAsync(_buyerId, (await ListTicketAsync(_sellerId, "Cancelled in another tab")).Id)).Order;
        var page = RenderPage();

        PublishOrder(live with { Status = "cancelled", Version = live.Version + 1 }, "user");
        page.WaitForAssertion(() => Assert.Equal("cancelled", Rows(page)[0].GetAttribute("data-order-status")));
        Clock.Advance(TimeSpan.FromMinutes(20));
        page.Render();

        Assert.Equal(
            ["Cancelled by you", "Cancelled by admin", "Cancelled by you"],
            Rows(page).Select(r => r.QuerySelector("[data-status-chip]")!.TextContent.Trim()));
    }

    [Fact]
    public async Task Countdown_ReachingZero_ReadsExpiredBeforeTheServerConfirms()
    {
        await ReserveAsync(_buyerId, (await ListTicketAsync(_sellerId)).Id);
        var page = RenderPage();

        Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal("Expired", Rows(page).Single().QuerySelector("[data-status-chip]")!.TextContent.Trim()));
        Assert.Equal("created", Rows(page).Single().GetAttribute("data-order-status"));
    }

    private IRenderedComponent<MyOrders> RenderPage()
    {
        var page = Context.Render<MyOrders>();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[aria-busy=true]")));
        return page;
    }

    private static List<IElement> Rows(IRenderedComponent<MyOrders> page) => page.FindAll("[data-order-id]").ToList();
}
