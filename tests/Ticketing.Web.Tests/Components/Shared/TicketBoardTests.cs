using Ticketing.Infrastructure.Tickets;
using Ticketing.Web.Components.Shared;
using Ticketing.Web.Hubs;
using Ticketing.Web.Live;

namespace Ticketing.Web.Tests.Components.Shared;

public sealed class TicketBoardTests
{
    private static readonly Guid Seller = Guid.NewGuid();

    [Fact]
    public void Load_KeepsTheServersNewestFirstOrder()
    {
        var board = new TicketBoard();
        var (newer, older) = (Ticket("newer"), Ticket("older"));

        board.Load([newer, older]);

        Assert.Equal(["newer", "older"], board.Newest.Select(t => t.Title));
    }

    [Fact]
    public void Apply_NewerVersion_ReplacesTheTicket()
    {
        var board = new TicketBoard();
        var ticket = Ticket("a");
        board.Load([ticket]);

        var changed = board.Apply(new TicketChange(LiveMethods.TicketLocked, ticket with { Version = 1, Status = "reserved" }));

        Assert.True(changed);
        Assert.Equal("reserved", board.Find(ticket.Id)!.Status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Apply_SameOrOlderVersion_IsIgnored(int version)
    {
        var board = new TicketBoard();
        var ticket = Ticket("a") with { Version = 2 };
        board.Load([ticket]);

        Assert.False(board.Apply(new TicketChange(LiveMethods.TicketUpdated, ticket with { Version = version, Title = "stale" })));
        Assert.Equal("a", board.Find(ticket.Id)!.Title);
    }

    [Fact]
    public void Apply_Created_AddsOnTop()
    {
        var board = new TicketBoard();
        board.Load([Ticket("old")]);

        board.Apply(new TicketChange(LiveMethods.TicketCreated, Ticket("new")));

        Assert.Equal(["new", "old"], board.Newest.Select(t => t.Title));
    }

    [Fact]
    public void Apply_Withdrawn_RemovesForGood()
    {
        var board = new TicketBoard();
        var ticket = Ticket("a");
        board.Load([ticket]);

        Assert.True(board.Apply(new TicketChange(LiveMethods.TicketWithdrawn, ticket with { Version = 1 })));
        Assert.False(board.Apply(new TicketChange(LiveMethods.TicketUpdated, ticket with { Version = 5 })));
        Assert.Equal(0, board.Count);
    }

    [Fact]
    public void ChangesPushedDuringTheLoad_AreMergedIntoIt()
    {
        var board = new TicketBoard();
        var stale = Ticket("listed");
        var created = Ticket("created while loading");
        board.Apply(new TicketChange(LiveMethods.TicketLocked, stale with { Version = 1, Status = "reserved" }));
        board.Apply(new TicketChange(LiveMethods.TicketCreated, created));

        board.Load([stale]);

        Assert.Equal("reserved", board.Find(stale.Id)!.Status);
        Assert.NotNull(board.Find(created.Id));
        Assert.True(board.IsLoaded);
    }

    [Fact]
    public void Reload_ReplacesWhatAnEarlierLoadShowed()
    {
        var board = new TicketBoard();
        var (kept, goneMeanwhile) = (Ticket("kept"), Ticket("withdrawn between the two loads"));
        board.Load([kept, goneMeanwhile]);

        board.Load([kept]);

        Assert.Equal(["kept"], board.Newest.Select(t => t.Title));
    }

    [Fact]
    public void Filter_KeepsOtherSellersOut()
    {
        var board = new TicketBoard(t => t.UserId == Seller);
        board.Load([]);

        board.Apply(new TicketChange(LiveMethods.TicketCreated, Ticket("someone else's") with { UserId = Guid.NewGuid() }));
        board.Apply(new TicketChange(LiveMethods.TicketCreated, Ticket("mine")));

        Assert.Equal(["mine"], board.Newest.Select(t => t.Title));
    }

    private static TicketView Ticket(string title) =>
        new(Guid.NewGuid(), title, 10m, Seller, 0, "available", null, null, null, null, null);
}
