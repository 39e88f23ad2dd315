using System.Data.Common;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Domain.Tickets;
using Ticketing.Testing;
using Ticketing.Web.Components.Pages.Listings;
using Ticketing.Web.Hubs;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Listings;

/// <summary>My listings for a seller with 1,000 listings, in a market of others': a page at a time, live, searchable.</summary>
public sealed class MyListingsAtScaleTests : UiTestContext
{
    private const int PageSize = 20;

    private readonly Guid _me = Guid.NewGuid();
    private readonly ETicketReads _eTicketReads;
    private List<Ticket> _mineOldestFirst = [];

    public MyListingsAtScaleTests()
        : this(new ETicketReads())
    {
    }

    private MyListingsAtScaleTests(ETicketReads eTicketReads)
        : base(replaceServices: services => services.ConfigureDbContext<SqliteTicketingDbContext>(o => o.AddInterceptors(eTicketReads))) =>
        _eTicketReads = eTicketReads;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _mineOldestFirst = await Catalogue.ListTicketsAsync(DatabasePath, _me, 1_000, Start.AddMinutes(-1));
        await Catalogue.ListTicketsAsync(DatabasePath, Guid.NewGuid(), 500, Start.AddSeconds(-30), spacing: TimeSpan.FromMilliseconds(10));
        SignIn(_me, "me@example.com");
    }

    [Fact]
    public void FirstPage_ShowsMyNewestRows_AndCountsAllOfThem()
    {
        var cut = RenderMyListings();

        Assert.Equal(MyNewest(0), Ids(cut));
        Assert.Equal("1,000 listings · 1,000 available · page 1 of 50", Text.Of(cut.Find(".result-count")));
    }

    [Fact]
    public void LastPage_ShowsMyOldestRows()
    {
        Navigation.NavigateTo("/my/listings?page=50");

        var cut = RenderMyListings();

        Assert.Equal(MyNewest(49), Ids(cut));
        Assert.Equal(_mineOldestFirst[0].Id.ToString(), Ids(cut)[^1]);
    }

    [Fact]
    public void Search_FindsMyOldestListing_AndNothingElse()
    {
        Navigation.NavigateTo($"/my/listings?q={Uri.EscapeDataString(_mineOldestFirst[0].Title)}");

        var cut = RenderMyListings();

        Assert.Equal([_mineOldestFirst[0].Id.ToString()], Ids(cut));
        Assert.Equal("1 listing matches", Text.Of(cut.Find(".result-count")));
    }

    [Fact]
    public async Task PushedLock_OfARowOnScreen_ShowsTheHoldAndMovesTheCounts()
    {
        var cut = RenderMyListings();
        var shown = _mineOldestFirst[^2];

        var (locked, _) = await ReserveAsync(Guid.NewGuid(), shown.Id);
        Publish(LiveMethods.TicketLocked, locked);

        cut.WaitForAssertion(() => Assert.Equal("Reserved by a buyer — 15:00 left", Status(cut, shown.Id)));
        cut.WaitForAssertion(() => Assert.Equal("1,000 listings · 999 available · 1 reserved · page 1 of 50", Text.Of(cut.Find(".result-count"))));
    }

    [Fact]
    public async Task PushedSale_OfAListingOnAnotherPage_MovesTheCountsButNotTheRows()
    {
        var cut = RenderMyListings();

        var sold = await SellAsync(Guid.NewGuid(), _mineOldestFirst[300].Id);
        Publish(LiveMethods.TicketSold, sold);

        cut.WaitForAssertion(() => Assert.Equal("1,000 listings · 999 available · 1 sold · page 1 of 50", Text.Of(cut.Find(".result-count"))));
        Assert.Equal(MyNewest(0), Ids(cut));
    }

    [Fact]
    public async Task PushedListing_OfMine_GoesOnTop_AndOneOfAnotherSellerStaysOut()
    {
        var cut = RenderMyListings();

        Publish(LiveMethods.TicketCreated, await ListTicketAsync(Guid.NewGuid(), "Not mine"));
        var mine = await ListTicketAsync(_me, "Just listed by me");
        Publish(LiveMethods.TicketCreated, mine);

        cut.WaitForAssertion(() => Assert.Equal([mine.Id.ToString(), .. MyNewest(0).Take(PageSize - 1)], Ids(cut)));
        cut.WaitForAssertion(() => Assert.StartsWith("1,001 listings · 1,001 available", Text.Of(cut.Find(".result-count"))));
    }

    [Fact]
    public async Task SoldRowsWithoutTheirFile_GetTheirDeadlines_InOneReadForThePage()
    {
        var soldOnScreen = new[] { _mineOldestFirst[^1], _mineOldestFirst[^5], _mineOldestFirst[^9] };
        foreach (var ticket in soldOnScreen.Append(_mineOldestFirst[300]))
        {
            await SellAsync(Guid.NewGuid(), ticket.Id);
        }

        _eTicketReads.Count = 0;
        var cut = RenderMyListings();

        cut.WaitForAssertion(
            () => Assert.Equal(soldOnScreen.Select(t => t.Id.ToString()), cut.FindAll("[data-file-due]").Select(e => e.Closest("[data-ticket-id]")!.GetAttribute("data-ticket-id"))),
            TimeSpan.FromSeconds(15));
        Assert.Equal(1, _eTicketReads.Count);
    }

    [Fact]
    public void APageWithoutSoldRows_AsksForNoDeadlines()
    {
        _eTicketReads.Count = 0;

        var cut = RenderMyListings();

        Assert.Equal(MyNewest(0), Ids(cut));
        Assert.Equal(0, _eTicketReads.Count);
    }

    private IRenderedComponent<MyListings> RenderMyListings()
    {
        RenderProviders();
        var cut = Context.Render<MyListings>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-state=loaded], .empty-state")));
        return cut;
    }

    private List<string> MyNewest(int page) =>
        Enumerable.Reverse(_mineOldestFirst).Skip(page * PageSize).Take(PageSize).Select(t => t.Id.ToString()).ToList();

    private static List<string> Ids(IRenderedComponent<MyListings> cut) =>
        cut.FindAll(".listing-row[data-ticket-id]").Select(e => e.GetAttribute("data-ticket-id")!).ToList();

    private static string Status(IRenderedComponent<MyListings> cut, Guid id) =>
        Text.Of(cut.Find($"[data-ticket-id='{id}'] [data-field=live-status]"));

    /// <summary>Counts the reads of e-tickets, where the sellers' file deadlines are kept.</summary>
    private sealed class ETicketReads : DbCommandInterceptor
    {
        private int _count;

        public int Count
        {
            get => Volatile.Read(ref _count);
            set => Volatile.Write(ref _count, value);
        }

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("\"e_tickets\"", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
            }

            return ValueTask.FromResult(result);
        }
    }
}
