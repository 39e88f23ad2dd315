using AngleSharp.Dom;
using Bunit;
using Ticketing.Domain.Tickets;
using Ticketing.Testing;
using Ticketing.Web.Components.Pages;
using Ticketing.Web.Hubs;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Tickets;

/// <summary>The home page in front of a market of 3,000 listings: one page of cards at a time, searched, sorted and live.</summary>
public sealed class HomeAtScaleTests : UiTestContext
{
    private const int Market = 3_000;
    private const int PageSize = 24;
    private const int Pages = (Market + PageSize - 1) / PageSize;

    private readonly Guid _seller = Guid.NewGuid();
    private List<Ticket> _oldestFirst = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _oldestFirst = await Catalogue.ListTicketsAsync(DatabasePath, _seller, Market, Start.AddMinutes(-1));
    }

    [Fact]
    public void FirstPage_ShowsTheNewestCardsOnly_AndCountsTheWholeMarket()
    {
        var cut = RenderHome();

        Assert.Equal(NewestIds(0), Ids(cut));
        Assert.Equal($"3,000 tickets · page 1 of {Pages}", Text.Of(cut.Find(".result-count")));
        Assert.Equal(Pages.ToString(), cut.FindAll("[data-pager] [data-page]").Last(e => e.GetAttribute("data-action") is null).GetAttribute("data-page"));
    }

    [Fact]
    public void NextPageLink_ShowsTheNextCardsInTheSameCircuit()
    {
        var cut = RenderHome();
        var next = cut.Find("[data-action=next-page]").GetAttribute("href")!;

        Navigation.NavigateTo(next);

        cut.WaitForAssertion(() => Assert.Equal(NewestIds(1), Ids(cut)));
        Assert.EndsWith("?page=2", Navigation.Uri);
        Assert.Equal("2", cut.Find("[aria-current=page]").GetAttribute("data-page"));
    }

    [Theory]
    [InlineData("abc", 1)]
    [InlineData("0", 1)]
    [InlineData("-3", 1)]
    [InlineData("99999999999999999999", 1)]
    [InlineData("1000000", Pages)]
    public void PageInTheAddress_OutOfRangeOrNotANumber_ShowsTheNearestPage(string page, int shown)
    {
        Navigation.NavigateTo($"/?page={page}");

        var cut = RenderHome();

        Assert.Equal(NewestIds(shown - 1), Ids(cut));
        Assert.Equal(shown.ToString(), cut.Find("[aria-current=page]").GetAttribute("data-page"));
    }

    [Fact]
    public void Search_FindsTheOldestListing_AndNothingElse()
    {
        var oldest = _oldestFirst[0];
        Navigation.NavigateTo($"/?q={Uri.EscapeDataString(oldest.Title)}");

        var cut = RenderHome();

        Assert.Equal([oldest.Id.ToString()], Ids(cut));
        Assert.Equal("1 ticket", Text.Of(cut.Find(".result-count")));
        Assert.Empty(cut.FindAll("[data-pager]"));
    }

    [Fact]
    public void Search_ThatIsTenKilobytesLong_ShowsNoMatchesWithoutFailing()
    {
        Navigation.NavigateTo($"/?q={new string('z', 10_000)}");

        var cut = RenderHome();

        Assert.Contains("No tickets match", cut.Markup);
        Assert.Empty(cut.FindAll("[data-ticket-id]"));
    }

    [Fact]
    public void SortByPrice_OrdersTheWholeMarket_NotJustThePage()
    {
        Navigation.NavigateTo("/?sort=price-asc");

        var cut = RenderHome();

        var cheapest = _oldestFirst.Select(t => t.Price).Order().Take(PageSize).ToList();
        Assert.Equal(cheapest, cut.FindAll("[data-field=price]").Select(e => decimal.Parse(e.TextContent.TrimStart('$'), System.Globalization.CultureInfo.GetCultureInfo("en-US"))));
    }

    [Fact]
    public async Task PushedLock_OfACardOnScreen_TurnsItReserved()
    {
        var cut = RenderHome();
        var shown = _oldestFirst[^3];

        var (locked, _) = await ReserveAsync(Guid.NewGuid(), shown.Id);
        Publish(LiveMethods.TicketLocked, locked);

        cut.WaitForAssertion(() => Assert.Equal("reserved", Card(cut, shown.Id).GetAttribute("data-status")));
        Assert.Contains("Reserved until 12:15 UTC", Text.Of(Card(cut, shown.Id)));
    }

    [Fact]
    public async Task PushedLock_OfAListingOnAnotherPage_LeavesThePageAsItIs()
    {
        var cut = RenderHome();

        var (offScreen, _) = await ReserveAsync(Guid.NewGuid(), _oldestFirst[0].Id);
        Publish(LiveMethods.TicketLocked, offScreen);
        var (onScreen, _) = await ReserveAsync(Guid.NewGuid(), _oldestFirst[^1].Id);
        Publish(LiveMethods.TicketLocked, onScreen);

        // Changes reach a page in order: once the second shows, the first has been and gone.
        cut.WaitForAssertion(() => Assert.Equal("reserved", Card(cut, onScreen.Id).GetAttribute("data-status")));
        Assert.Equal(NewestIds(0), Ids(cut));
        Assert.Single(cut.FindAll("[data-status=reserved][data-ticket-id]"));
    }

    [Fact]
    public async Task PushedCreation_OnTheFirstPage_GoesOnTopAndPushesTheLastCardOff()
    {
        var cut = RenderHome();

        var created = await ListTicketAsync(_seller, "Just listed");
        Publish(LiveMethods.TicketCreated, created);

        cut.WaitForAssertion(() => Assert.Equal([created.Id.ToString(), .. NewestIds(0).Take(PageSize - 1)], Ids(cut)));
        Assert.StartsWith("3,001 tickets", Text.Of(cut.Find(".result-count")));
    }

    [Fact]
    public async Task PushedCreations_SeenFromALaterPage_AreOfferedInAPromptThatLeadsToThem()
    {
        Navigation.NavigateTo("/?page=4");
        var cut = RenderHome();

        var first = await ListTicketAsync(_seller, "Listed while browsing");
        Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await ListTicketAsync(_seller, "Listed a moment later");
        Publish(LiveMethods.TicketCreated, first);
        Publish(LiveMethods.TicketCreated, second);

        cut.WaitForAssertion(() => Assert.Equal("2 new listings", Text.Of(cut.Find("[data-action=show-new-listings]"))));
        Assert.Equal(NewestIds(3), Ids(cut));

        cut.Find("[data-action=show-new-listings]").Click();

        cut.WaitForAssertion(() => Assert.Equal([second.Id.ToString(), first.Id.ToString()], Ids(cut).Take(2)));
        Assert.Empty(cut.FindAll("[data-action=show-new-listings]"));
    }

    [Fact]
    public async Task PushedCreation_ThatTheSearchDoesNotMatch_StaysOff()
    {
        Navigation.NavigateTo("/?q=barbican");
        var cut = RenderHome();
        var before = Ids(cut);

        Publish(LiveMethods.TicketCreated, await ListTicketAsync(_seller, "Something else", venue: "O2 Arena"));
        var matching = await ListTicketAsync(_seller, "Quartet", venue: "The BARBICAN hall");
        Publish(LiveMethods.TicketCreated, matching);

        cut.WaitForAssertion(() => Assert.Equal([matching.Id.ToString(), .. before.Take(PageSize - 1)], Ids(cut)));
    }

    private IRenderedComponent<Home> RenderHome()
    {
        RenderProviders();
        var cut = Context.Render<Home>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-state=loaded], .empty-state")));
        return cut;
    }

    /// <summary>The ids on page <paramref name="page"/> (from 0) of the market, newest first.</summary>
    private List<string> NewestIds(int page) =>
        Enumerable.Reverse(_oldestFirst).Skip(page * PageSize).Take(PageSize).Select(t => t.Id.ToString()).ToList();

    private static IElement Card(IRenderedComponent<Home> cut, Guid id) => cut.Find($"[data-ticket-id='{id}']");

    private static List<string> Ids(IRenderedComponent<Home> cut) =>
        cut.FindAll("[data-ticket-id]").Select(e => e.GetAttribute("data-ticket-id")!).ToList();
}
