using AngleSharp.Dom;
using Bunit;
using Ticketing.Web.Components.Pages;
using Ticketing.Web.Hubs;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Tickets;

public sealed class HomeTests : UiTestContext
{
    private readonly Guid _seller = Guid.NewGuid();

    [Fact]
    public async Task Home_ShowsEveryListingAsACardWithItsStatusChip()
    {
        var available = await ListTicketAsync(_seller, "Available one", 40m);
        var reserved = await ListTicketAsync(_seller, "Reserved one", 50m);
        var sold = await ListTicketAsync(_seller, "Sold one", 60m);
        await ReserveAsync(Guid.NewGuid(), reserved.Id);
        await SellAsync(Guid.NewGuid(), sold.Id);

        var cut = RenderHome();

        Assert.Equal(3, cut.FindAll("[data-ticket-id]").Count);
        AssertChip(Card(cut, available.Id), "available", "mud-chip-color-success", "Available");
        AssertChip(Card(cut, reserved.Id), "reserved", "mud-chip-color-warning", "Reserved until 12:15 UTC");
        AssertChip(Card(cut, sold.Id), "sold", "mud-chip-color-default", "Sold");
        Assert.Contains("$40.00", Text.Of(Card(cut, available.Id)));
        Assert.Equal($"/tickets/{available.Id}", Card(cut, available.Id).GetAttribute("href"));
    }

    [Fact]
    public void Home_WithNoListings_InvitesToSell()
    {
        var cut = RenderHome();

        Assert.Contains("No tickets listed yet", cut.Markup);
        Assert.Empty(cut.FindAll("[data-ticket-id]"));
    }

    [Fact]
    public async Task Search_InTheAddress_MatchesTitleOrVenueIgnoringCase()
    {
        var byTitle = await ListTicketAsync(_seller, "Barbican jazz night", venue: null);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var byVenue = await ListTicketAsync(_seller, "Quartet", venue: "The BARBICAN hall");
        await ListTicketAsync(_seller, "Unrelated", venue: "O2");
        Navigation.NavigateTo("/?q=barbican");

        var cut = RenderHome();

        Assert.Equal([byVenue.Id.ToString(), byTitle.Id.ToString()], Ids(cut));
        Assert.Equal("2 tickets", Text.Of(cut.Find(".result-count")));
    }

    [Fact]
    public async Task Search_TypedInTheBox_FiltersTheGridAndKeepsTheAddressShareable()
    {
        await ListTicketAsync(_seller, "Radiohead");
        var wanted = await ListTicketAsync(_seller, "Portishead");

        var cut = RenderHome();
        cut.Find("input[data-filter=search]").Input("PORTIS");
        Clock.Advance(TimeSpan.FromSeconds(1)); // MudBlazor debounces typing on the app's TimeProvider

        cut.WaitForAssertion(() => Assert.Equal([wanted.Id.ToString()], Ids(cut)), TimeSpan.FromSeconds(3));
        Assert.EndsWith("?q=PORTIS", Navigation.Uri);
    }

    [Fact]
    public async Task SearchWithoutMatches_OffersToClearTheFilters()
    {
        await ListTicketAsync(_seller, "Radiohead");
        Navigation.NavigateTo("/?q=nothing-like-it&status=sold");

        var cut = RenderHome();
        Assert.Contains("No tickets match", cut.Markup);

        cut.Find("[data-action=clear-filters]").Click();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-ticket-id]")));
    }

    [Fact]
    public async Task StatusFilter_ShowsOnlyThatStatus()
    {
        await ListTicketAsync(_seller, "Free");
        var reserved = await ListTicketAsync(_seller, "Held");
        await ReserveAsync(Guid.NewGuid(), reserved.Id);

        var cut = RenderHome();
        cut.Find("[data-status-filter=reserved]").Click();

        cut.WaitForAssertion(() => Assert.Equal([reserved.Id.ToString()], Ids(cut)));
        Assert.EndsWith("?status=reserved", Navigation.Uri);
    }

    [Theory]
    [InlineData("price-asc", new[] { "Cheap", "Middle", "Dear" })]
    [InlineData("price-desc", new[] { "Dear", "Middle", "Cheap" })]
    [InlineData("newest", new[] { "Middle", "Dear", "Cheap" })]
    [InlineData("event-date", new[] { "Dear", "Cheap", "Middle" })]
    public async Task Sort_OrdersTheCards(string sort, string[] titles)
    {
        await ListTicketAsync(_seller, "Cheap", 10m, eventDate: Start.AddDays(20));
        Clock.Advance(TimeSpan.FromMinutes(1));
        await ListTicketAsync(_seller, "Dear", 300m, eventDate: Start.AddDays(10));
        Clock.Advance(TimeSpan.FromMinutes(1));
        await ListTicketAsync(_seller, "Middle", 50m, eventDate: null);
        Navigation.NavigateTo($"/?sort={sort}");

        var cut = RenderHome();

        Assert.Equal(titles, cut.FindAll(".ticket-card__title").Select(Text.Of));
    }

    [Fact]
    public async Task PushedLock_TurnsTheCardReservedWithoutReload()
    {
        var ticket = await ListTicketAsync(_seller);
        var cut = RenderHome();
        Assert.Equal("available", Card(cut, ticket.Id).GetAttribute("data-status"));

        var (locked, _) = await ReserveAsync(Guid.NewGuid(), ticket.Id);
        Publish(LiveMethods.TicketLocked, locked);

        cut.WaitForAssertion(() => Assert.Equal("reserved", Card(cut, ticket.Id).GetAttribute("data-status")));
        Assert.Contains("Reserved until 12:15 UTC", Text.Of(Card(cut, ticket.Id)));
        Assert.Equal("1", Card(cut, ticket.Id).GetAttribute("data-version"));
    }

    [Fact]
    public async Task PushedChange_OlderThanWhatIsShown_IsIgnored()
    {
        var ticket = await ListTicketAsync(_seller, "Current title");
        var edited = await Listings.EditAsync(new(_seller), ticket.Id, new("Newer title", 85m, Venue: "O2 Arena"));
        var cut = RenderHome();

        Publish(LiveMethods.TicketCreated, ticket);

        Assert.Equal("Newer title", Text.Of(Card(cut, edited.Id).QuerySelector(".ticket-card__title")!));
    }

    [Fact]
    public async Task PushedCreation_AddsTheNewCardFirst()
    {
        await ListTicketAsync(_seller, "Older");
        var cut = RenderHome();

        var created = await ListTicketAsync(_seller, "Just listed");
        Publish(LiveMethods.TicketCreated, created);

        cut.WaitForAssertion(() => Assert.Equal(created.Id.ToString(), Ids(cut)[0]));
    }

    [Fact]
    public async Task PushedWithdrawal_RemovesTheCard()
    {
        var ticket = await ListTicketAsync(_seller);
        var cut = RenderHome();

        await Listings.WithdrawAsync(new(_seller), ticket.Id);
        Publish(LiveMethods.TicketWithdrawn, ticket with { Version = ticket.Version + 1 });

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-ticket-id]")));
    }

    private IRenderedComponent<Home> RenderHome()
    {
        RenderProviders();
        var cut = Context.Render<Home>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-state=loaded], .empty-state")));
        return cut;
    }

    private static IElement Card(IRenderedComponent<Home> cut, Guid id) => cut.Find($"[data-ticket-id='{id}']");

    private static List<string> Ids(IRenderedComponent<Home> cut) =>
        cut.FindAll("[data-ticket-id]").Select(e => e.GetAttribute("data-ticket-id")!).ToList();

    private static void AssertChip(IElement card, string status, string colorClass, string text)
    {
        Assert.Equal(status, card.GetAttribute("data-status"));
        var chip = card.QuerySelector(".status-chip")!;
        Assert.Contains(colorClass, chip.ClassName);
        Assert.Equal(text, Text.Of(chip));
    }
}
