using Ticketing.Infrastructure.Paging;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Web.Components.Shared;
using Ticketing.Web.Hubs;
using Ticketing.Web.Live;

namespace Ticketing.Web.Tests.Components.Shared;

public sealed class TicketBoardTests
{
    private const int PageSize = 3;
    private static readonly Guid Seller = Guid.NewGuid();

    [Fact]
    public void Load_KeepsTheServersOrderAndCounts()
    {
        var board = new TicketBoard(PageSize);

        board.Load(Page(2, total: 7, Ticket("d"), Ticket("e"), Ticket("f")), new(), newOnTop: false);

        Assert.Equal(["d", "e", "f"], Titles(board));
        Assert.Equal((2, 3, 7), (board.Page, board.PageCount, board.Total));
    }

    [Fact]
    public void Apply_NewerVersion_ReplacesTheTicket()
    {
        var board = new TicketBoard(PageSize);
        var ticket = Ticket("a");
        board.Load(Page(1, total: 1, ticket), new(), newOnTop: true);

        var changed = board.Apply(new TicketChange(LiveMethods.TicketLocked, View(ticket) with { Version = 1, Status = "reserved" }));

        Assert.True(changed);
        Assert.Equal("reserved", board.Find(ticket.Id)!.Status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Apply_SameOrOlderVersion_IsIgnored(int version)
    {
        var board = new TicketBoard(PageSize);
        var ticket = Ticket("a") with { Version = 2 };
        board.Load(Page(1, total: 1, ticket), new(), newOnTop: true);

        Assert.False(board.Apply(new TicketChange(LiveMethods.TicketUpdated, View(ticket) with { Version = version, Title = "stale" })));
        Assert.Equal("a", board.Find(ticket.Id)!.Title);
    }

    [Fact]
    public void Apply_ChangeOfATicketNotShown_ChangesNothing()
    {
        var board = new TicketBoard(PageSize);
        board.Load(Page(1, total: 1, Ticket("a")), new(), newOnTop: true);

        Assert.False(board.Apply(new TicketChange(LiveMethods.TicketLocked, View(Ticket("elsewhere")) with { Version = 1, Status = "reserved" })));
        Assert.Equal(["a"], Titles(board));
    }

    [Fact]
    public void Apply_Created_OnTheFirstPageOfTheNewest_GoesOnTopAndPushesTheLastOff()
    {
        var board = new TicketBoard(PageSize);
        board.Load(Page(1, total: 5, Ticket("c"), Ticket("b"), Ticket("a")), new(), newOnTop: true);

        Assert.True(board.Apply(new TicketChange(LiveMethods.TicketCreated, View(Ticket("new")))));

        Assert.Equal(["new", "c", "b"], Titles(board));
        Assert.Equal((6, 0), (board.Total, board.NewListings));
    }

    [Fact]
    public void Apply_Created_ElsewhereThanTheTopOfTheNewest_IsCountedForThePrompt()
    {
        var board = new TicketBoard(PageSize);
        board.Load(Page(2, total: 5, Ticket("b"), Ticket("a")), new(), newOnTop: false);

        Assert.True(board.Apply(new TicketChange(LiveMethods.TicketCreated, View(Ticket("new")))));
        Assert.True(board.Apply(new TicketChange(LiveMethods.TicketCreated, View(Ticket("newer")))));

        Assert.Equal(["b", "a"], Titles(board));
        Assert.Equal((7, 2), (board.Total, board.NewListings));
    }

    [Fact]
    public void Apply_Created_OutsideTheFilter_StaysOut()
    {
        var board = new TicketBoard(PageSize);
        board.Load(Page(1, total: 0), new TicketFilter("barbican", SellerId: Seller), newOnTop: true);

        board.Apply(new TicketChange(LiveMethods.TicketCreated, View(Ticket("Barbican jazz")) with { UserId = Guid.NewGuid() }));
        board.Apply(new TicketChange(LiveMethods.TicketCreated, View(Ticket("O2 arena"))));
        board.Apply(new TicketChange(LiveMethods.TicketCreated, View(Ticket("Quartet")) with { Venue = "The BARBICAN hall" }));

        Assert.Equal(["Quartet"], Titles(board));
        Assert.Equal(0, board.NewListings);
    }

    [Fact]
    public void Apply_Withdrawn_RemovesTheCard()
    {
        var board = new TicketBoard(PageSize);
        var ticket = Ticket("a");
        board.Load(Page(1, total: 1, ticket), new(), newOnTop: true);

        Assert.True(board.Apply(new TicketChange(LiveMethods.TicketWithdrawn, View(ticket) with { Version = 1 })));
        Assert.False(board.Apply(new TicketChange(LiveMethods.TicketUpdated, View(ticket) with { Version = 5 })));
        Assert.Empty(board.Tickets);
        Assert.Equal(0, board.Total);
    }

    [Fact]
    public void ChangesPushedDuringTheLoad_AreAppliedToTheLoadedPage()
    {
        var board = new TicketBoard(PageSize);
        var stale = Ticket("listed");
        var created = Ticket("created while loading");
        board.BeginLoad();
        Assert.False(board.Apply(new TicketChange(LiveMethods.TicketLocked, View(stale) with { Version = 1, Status = "reserved" })));
        Assert.False(board.Apply(new TicketChange(LiveMethods.TicketCreated, View(created))));

        board.Load(Page(1, total: 1, stale), new(), newOnTop: true);

        Assert.Equal("reserved", board.Find(stale.Id)!.Status);
        Assert.Equal(["created while loading", "listed"], Titles(board));
        Assert.True(board.IsLoaded);
    }

    [Fact]
    public void CreationPushedDuringTheLoad_ThatTheLoadAlreadyHas_IsNotShownTwice()
    {
        var board = new TicketBoard(PageSize);
        var created = Ticket("created just before the query");
        board.BeginLoad();
        board.Apply(new TicketChange(LiveMethods.TicketCreated, View(created)));

        board.Load(Page(1, total: 1, created), new(), newOnTop: true);

        Assert.Equal(["created just before the query"], Titles(board));
        Assert.Equal(1, board.Total);
    }

    [Fact]
    public void Reload_ReplacesWhatAnEarlierLoadShowed()
    {
        var board = new TicketBoard(PageSize);
        var (kept, goneMeanwhile) = (Ticket("kept"), Ticket("withdrawn between the two loads"));
        board.Load(Page(1, total: 2, kept, goneMeanwhile), new(), newOnTop: true);

        board.BeginLoad();
        board.Load(Page(1, total: 1, kept), new(), newOnTop: true);

        Assert.Equal(["kept"], Titles(board));
    }

    private static NumberedPage<TicketSummary> Page(int number, int total, params TicketSummary[] tickets) => new(tickets, number, PageSize, total);

    private static List<string> Titles(TicketBoard board) => board.Tickets.Select(t => t.Title).ToList();

    private static TicketSummary Ticket(string title) => new(Guid.NewGuid(), title, 10m, Seller, 0, "available", null, null, null);

    private static TicketView View(TicketSummary t) => new(t.Id, t.Title, t.Price, t.SellerId, t.Version, t.Status, null, t.ReservedUntil, t.EventDate, t.Venue, null);
}
