using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Testing;
using Ticketing.Web.Components.Pages.Admin;
using Ticketing.Web.Hubs;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Admin;

/// <summary>
/// The dashboard over a market of 3,000 listings and 2,250 orders: each grid holds one page read
/// from the server, sorts and searches the whole market in SQL, and live changes reach the rows shown.
/// </summary>
public sealed class DashboardAtScaleTests : UiTestContext
{
    private const int ListingCount = 3_000;
    // Generous: the grids query 3,000 rows while the other test assemblies load the same two cores.
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(15);

    private List<SeededListing> _market = [];
    private List<Guid> _buyers = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var sellers = await MarketSeed.UsersAsync(Context.Services, "seller", 10, Start.AddHours(-3));
        _buyers = await MarketSeed.UsersAsync(Context.Services, "buyer", 10, Start.AddHours(-3));
        _market = await MarketSeed.ListingsAsync(
            Context.Services,
            sellers,
            ListingCount,
            Start.AddHours(-2),
            i => TicketDetails.Create($"Gig {i:D4}", ((i * 7919L % 99_999_99) + 1) / 100m, venue: i % 2 == 0 ? "O2 Arena" : "Royal Albert Hall"),
            i => (i % 4) switch
            {
                1 => (_buyers[i % _buyers.Count], SeededOutcome.Reserved),
                2 => (_buyers[i % _buyers.Count], SeededOutcome.Paid),
                3 => (_buyers[i % _buyers.Count], SeededOutcome.Cancelled),
                _ => null,
            },
            TimeSpan.FromDays(1));

        await using var scope = Context.Services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(DatabaseInitializer.DefaultAdminEmail);
        SignIn(admin!.Id, DatabaseInitializer.DefaultAdminEmail, admin: true);
    }

    [Fact]
    public void Grids_OverThousandsOfRows_EachHoldOnePage_NewestFirst()
    {
        var page = RenderPage();

        Assert.Equal(NewestListings().Take(10).Select(s => s.Ticket.Id), ListingIds(page));
        Assert.Equal(NewestOrders().Take(10).Select(o => o.Id), OrderIds(page));
        Assert.Contains("1-10 of 3,000", Grid(page, "listings").TextContent);
        Assert.Contains($"1-10 of {NewestOrders().Count():N0}", Grid(page, "orders").TextContent);
        Assert.Equal("3,000", Figure(page, "listed"));
    }

    [Fact]
    public async Task ListingsGrid_NextPage_IsReadFromTheServer()
    {
        var page = RenderPage();

        await Grid(page, "listings").QuerySelector("button[aria-label='Next page']")!.ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal(NewestListings().Skip(10).Take(10).Select(s => s.Ticket.Id), ListingIds(page)));
        Assert.Contains("11-20 of 3,000", Grid(page, "listings").TextContent);
    }

    [Fact]
    public async Task ListingsGrid_SortByPrice_OrdersTheWholeMarket()
    {
        var byPrice = _market.OrderBy(s => s.Ticket.Price).Select(s => s.Ticket.Id).ToList();
        var page = RenderPage();

        await Header(page, "listings", "Price").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(byPrice.Take(10), ListingIds(page)));

        await Header(page, "listings", "Price").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(Enumerable.Reverse(byPrice).Take(10), ListingIds(page)));
    }

    [Fact]
    public async Task ListingsGrid_SearchForTheOldestListing_ShowsOnlyIt()
    {
        var oldest = _market[0].Ticket;
        var page = RenderPage();

        await page.Find("input[data-listings-search]").InputAsync(new() { Value = oldest.Title });
        Clock.Advance(TimeSpan.FromSeconds(1)); // MudBlazor debounces typing on the app's TimeProvider

        page.WaitForAssertion(() => Assert.Equal([oldest.Id], ListingIds(page)), Slow);
        Assert.Contains("1-1 of 1", Grid(page, "listings").TextContent);

        await page.Find("input[data-listings-search]").InputAsync(new() { Value = string.Empty });
        Clock.Advance(TimeSpan.FromSeconds(1));
        page.WaitForAssertion(() => Assert.Equal(NewestListings().Take(10).Select(s => s.Ticket.Id), ListingIds(page)), Slow);
    }

    [Fact]
    public async Task ListingsGrid_SearchFromALaterPage_StartsAtTheFirstPageOfMatches()
    {
        var arena = NewestListings().Where(s => s.Ticket.Venue == "O2 Arena").ToList();
        var page = RenderPage();
        await Grid(page, "listings").QuerySelector("button[aria-label='Next page']")!.ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("11-20 of 3,000", Grid(page, "listings").TextContent));

        await page.Find("input[data-listings-search]").InputAsync(new() { Value = "o2 arena" });
        Clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal(arena.Take(10).Select(s => s.Ticket.Id), ListingIds(page)), Slow);
        Assert.Contains($"1-10 of {arena.Count:N0}", Grid(page, "listings").TextContent);
    }

    [Fact]
    public async Task ListingsGrid_LiveChange_ReachesTheRowShown_AndLeavesThePageAsItIs()
    {
        var page = RenderPage();
        var shown = NewestListings().First(s => s.Ticket.Status == TicketStatus.Available).Ticket;
        var offPage = _market.First(s => s.Ticket.Status == TicketStatus.Available).Ticket;
        var ids = ListingIds(page);

        var (locked, _) = await ReserveAndReadAsync(shown.Id);
        Publish(LiveMethods.TicketLocked, locked);
        var (lockedOffPage, _) = await ReserveAndReadAsync(offPage.Id);
        Publish(LiveMethods.TicketLocked, lockedOffPage);

        page.WaitForAssertion(() => Assert.Equal("reserved", ListingCell(page, shown.Id).GetAttribute("data-listing-status")));
        Assert.True(Row(ListingCell(page, shown.Id)).QuerySelector("[data-action=edit]")!.HasAttribute("disabled"));
        Assert.Equal(ids, ListingIds(page));
        page.WaitForAssertion(() => Assert.Equal(Reserved() + 2, int.Parse(Figure(page, "reserved").Replace(",", string.Empty))));
    }

    [Fact]
    public async Task ListingsGrid_NewListing_AppearsAtTheTopOfTheFirstPage()
    {
        var page = RenderPage();

        var fresh = await ListTicketAsync(_market[5].Ticket.SellerId, "Brand new gig", 12m);
        Publish(LiveMethods.TicketCreated, fresh);

        page.WaitForAssertion(() => Assert.Equal(fresh.Id, ListingIds(page)[0]));
        Assert.Equal(10, ListingIds(page).Count);
        Assert.Contains("1-10 of 3,001", Grid(page, "listings").TextContent);
        Assert.Empty(page.FindAll("[data-new-listings]"));
    }

    [Fact]
    public async Task ListingsGrid_NewListing_WhileALaterPageIsShown_IsAnnounced_AndShownOnRequest()
    {
        var page = RenderPage();
        await Grid(page, "listings").QuerySelector("button[aria-label='Next page']")!.ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("11-20 of 3,000", Grid(page, "listings").TextContent));
        var secondPage = ListingIds(page);

        var fresh = await ListTicketAsync(_market[5].Ticket.SellerId, "Brand new gig", 12m);
        Publish(LiveMethods.TicketCreated, fresh);
        Publish(LiveMethods.TicketCreated, fresh);

        page.WaitForAssertion(() => Assert.Equal("1 new listing", page.Find("[data-new-listings]").TextContent.Trim()));
        Assert.Equal(secondPage, ListingIds(page));

        await page.Find("[data-new-listings]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(fresh.Id, ListingIds(page)[0]));
        Assert.Empty(page.FindAll("[data-new-listings]"));
    }

    [Fact]
    public async Task ListingsGrid_NewListingDuringAnInlineEdit_WaitsForTheEdit_ThenShows()
    {
        var page = RenderPage();
        var edited = NewestListings().First(s => s.Ticket.Status == TicketStatus.Available).Ticket;
        await Row(ListingCell(page, edited.Id)).QuerySelector("[data-action=edit]")!.ClickAsync(new());
        await page.Find("input[data-edit-title]").InputAsync(new() { Value = "Renamed while busy" });

        var fresh = await ListTicketAsync(_market[5].Ticket.SellerId, "Brand new gig", 12m);
        Publish(LiveMethods.TicketCreated, fresh);

        // The dashboard took the change (the figures count it), but no reload swept the edit away.
        page.WaitForAssertion(() => Assert.Equal("3,001", Figure(page, "listed")), Slow);
        Assert.Equal("Renamed while busy", page.Find("input[data-edit-title]").GetAttribute("value"));
        Assert.DoesNotContain(fresh.Id, ListingIds(page));

        await page.Find("[data-action=save]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(fresh.Id, ListingIds(page)[0]), Slow);
        page.WaitForAssertion(() => Assert.Equal("Renamed while busy", ListingCell(page, edited.Id).TextContent), Slow);
        Assert.Empty(page.FindAll("[data-action=save]"));
        Assert.Equal("Renamed while busy", (await Listings.FindAsync(edited.Id))!.Title);
    }

    [Fact]
    public async Task OrdersGrid_SortByPriceAndSearchByBuyer_SpanEveryOrder()
    {
        var orders = NewestOrders().ToList();
        var page = RenderPage();

        await Header(page, "orders", "Price").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(orders.OrderBy(o => o.Price).Take(10).Select(o => o.Id), OrderIds(page)));

        await page.Find("input[data-orders-search]").InputAsync(new() { Value = "buyer-3@" });
        Clock.Advance(TimeSpan.FromSeconds(1));
        var buyer3 = orders.Where(o => o.BuyerId == _buyers[3]).OrderBy(o => o.Price).ToList();
        page.WaitForAssertion(() => Assert.Equal(buyer3.Take(10).Select(o => o.Id), OrderIds(page)), Slow);
        Assert.Contains($"1-10 of {buyer3.Count:N0}", Grid(page, "orders").TextContent);
    }

    [Fact]
    public async Task OrdersGrid_PaymentOfAnOrderShown_UpdatesItsRowAndTheRevenue()
    {
        var page = RenderPage();
        var order = NewestOrders().Take(10).First(o => o.Status == OrderStatus.Created);
        var revenue = Figure(page, "revenue");

        PublishOrder(await PayAsync(order.BuyerId, order.Id));

        page.WaitForAssertion(() => Assert.Equal("complete", page.Find($"[data-order-id='{order.Id}']").GetAttribute("data-order-status")));
        page.WaitForAssertion(() => Assert.NotEqual(revenue, Figure(page, "revenue")));
        Assert.Equal(NewestOrders().Take(10).Select(o => o.Id), OrderIds(page));
    }

    private IEnumerable<SeededListing> NewestListings() => Enumerable.Reverse(_market);

    private IEnumerable<Order> NewestOrders() => NewestListings().Where(s => s.Order is not null).Select(s => s.Order!);

    private int Reserved() => _market.Count(s => s.Ticket.Status == TicketStatus.Reserved);

    private async Task<(Infrastructure.Tickets.TicketView Ticket, Infrastructure.Orders.OrderView Order)> ReserveAndReadAsync(Guid ticketId)
    {
        var order = (await ReserveAsync(_buyers[0], ticketId)).Order;
        return ((await Listings.FindAsync(ticketId))!, order);
    }

    private IRenderedComponent<Dashboard> RenderPage()
    {
        RenderProviders();
        var page = Context.Render<Dashboard>();
        page.WaitForAssertion(() => Assert.Equal(10, ListingIds(page).Count), Slow);
        page.WaitForAssertion(() => Assert.Equal(10, OrderIds(page).Count), Slow);
        return page;
    }

    private static List<Guid> ListingIds(IRenderedComponent<Dashboard> page) =>
        page.FindAll("[data-listing-id]").Select(e => Guid.Parse(e.GetAttribute("data-listing-id")!)).ToList();

    private static List<Guid> OrderIds(IRenderedComponent<Dashboard> page) =>
        page.FindAll("[data-order-id]").Select(e => Guid.Parse(e.GetAttribute("data-order-id")!)).ToList();

    private static IElement Grid(IRenderedComponent<Dashboard> page, string name) => page.Find($"[data-{name}-grid]");

    private static IElement Header(IRenderedComponent<Dashboard> page, string grid, string title) =>
        Grid(page, grid).QuerySelectorAll(".sortable-column-header").Single(h => h.TextContent.Trim() == title);

    private static IElement ListingCell(IRenderedComponent<Dashboard> page, Guid id) => page.Find($"[data-listing-id='{id}']");

    private static IElement Row(IElement cell) => cell.Closest("tr")!;

    private static string Figure(IRenderedComponent<Dashboard> page, string key) => page.Find($"[data-figure={key}]").TextContent;
}
