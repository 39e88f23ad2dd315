using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Paging;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Infrastructure.Tickets;

namespace Ticketing.Infrastructure.Tests.Tickets;

/// <summary>The pages' numbered pages: every sort, search and filter in SQL, over thousands of listings.</summary>
public sealed class TicketPageTests(ListingMarket market) : IClassFixture<ListingMarket>
{
    private const int Size = 24;

    [Theory]
    [InlineData(TicketSort.Newest)]
    [InlineData(TicketSort.PriceAscending)]
    [InlineData(TicketSort.PriceDescending)]
    [InlineData(TicketSort.EventDate)]
    public async Task EveryPage_InTurn_ShowsEachListingOnceInTheSortsOrder(TicketSort sort)
    {
        var first = await PageAsync(new TicketFilter(), sort, 1);
        var shown = new List<TicketSummary>();
        for (var number = 1; number <= first.PageCount; number++)
        {
            var page = await PageAsync(new TicketFilter(), sort, number);
            Assert.Equal((number, market.All.Count), (page.Number, page.Total));
            Assert.Equal(number < first.PageCount ? Size : market.All.Count - ((number - 1) * Size), page.Items.Count);
            shown.AddRange(page.Items);
        }

        Assert.Equal((market.All.Count + Size - 1) / Size, first.PageCount);
        Assert.Equal(market.All.Count, shown.Select(t => t.Id).Distinct().Count());
        Assert.All(shown, t => Assert.Equal(TicketSummary.From(market.All[t.Id]), t));
        for (var i = 1; i < shown.Count; i++)
        {
            Assert.True(InOrder(sort, shown[i - 1], shown[i]), $"{sort}: {shown[i - 1]} before {shown[i]}");
        }
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-5, 1)]
    [InlineData(int.MaxValue, -1)]
    [InlineData(1_000_000, -1)]
    public async Task PageNumber_OutOfRange_ShowsTheNearestPage(int requested, int expected)
    {
        var page = await PageAsync(new TicketFilter(), TicketSort.Newest, requested);

        var last = (market.All.Count + Size - 1) / Size;
        Assert.Equal(expected == -1 ? last : expected, page.Number);
        Assert.NotEmpty(page.Items);
    }

    [Theory]
    [InlineData("100%", "100% Cotton Club")]
    [InlineData("r_s", "Under_score night")]
    [InlineData("[bracket]", "[Bracket] gig")]
    [InlineData("k\\s", "Back\\slash show")]
    [InlineData("COTTON", "100% Cotton Club")]
    public async Task Search_TakesLikesSpecialCharactersLiterally(string search, string title)
    {
        var page = await PageAsync(new TicketFilter(search), TicketSort.Newest, 1);

        Assert.Equal([title], page.Items.Select(t => t.Title));
        Assert.Equal(1, page.Total);
    }

    [Fact]
    public async Task Search_MatchesTheVenueToo()
    {
        var page = await PageAsync(new TicketFilter("cotton club"), TicketSort.Newest, 1);
        var byVenue = await PageAsync(new TicketFilter("Tied Hall", SellerId: market.TiedSeller), TicketSort.PriceAscending, 2);

        Assert.Equal(["100% Cotton Club"], page.Items.Select(t => t.Title));
        Assert.Equal(300, byVenue.Total);
        Assert.All(byVenue.Items, t => Assert.Equal("Tied Hall", t.Venue));
    }

    [Fact]
    public async Task Search_LongerThanAnyTitleOrVenue_ShowsAnEmptyFirstPageWithoutTouchingTheDatabase()
    {
        market.Commands.Clear();

        var page = await PageAsync(new TicketFilter(new string('x', 10_000)), TicketSort.Newest, 7);

        Assert.Equal((0, 1, 1), (page.Total, page.Number, page.PageCount));
        Assert.Empty(page.Items);
        Assert.DoesNotContain(market.Commands.Commands, c => c.Sql.Contains("\"tickets\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(TicketStatus.Available)]
    [InlineData(TicketStatus.Reserved)]
    [InlineData(TicketStatus.Sold)]
    public async Task StatusFilter_CountsAndShowsOnlyThatStatus(TicketStatus status)
    {
        var page = await PageAsync(new TicketFilter(Status: status), TicketSort.PriceDescending, 1);

        var name = TicketView.StatusName(status);
        Assert.Equal(market.All.Values.Count(t => t.Status == name), page.Total);
        Assert.All(page.Items, t => Assert.Equal(name, t.Status));
        Assert.All(page.Items.Where(t => t.Status == "reserved"), t => Assert.NotNull(t.ReservedUntil));
    }

    [Fact]
    public async Task SellersCounts_AreTheirListingsByStatus()
    {
        var counts = await market.UseAsync<TicketListings, ListingCounts>(l => l.CountAsync(market.Seller));

        var mine = market.All.Values.Where(t => t.UserId == market.Seller).ToList();
        Assert.Equal(
            new ListingCounts(mine.Count(t => t.Status == "available"), mine.Count(t => t.Status == "reserved"), mine.Count(t => t.Status == "sold")),
            counts);
        Assert.Equal((2_500, 20, 10), (counts.Total, counts.Reserved, counts.Sold));
    }

    private Task<NumberedPage<TicketSummary>> PageAsync(TicketFilter filter, TicketSort sort, int number) =>
        market.UseAsync<TicketListings, NumberedPage<TicketSummary>>(l => l.PageAsync(filter, sort, number, Size));

    private bool InOrder(TicketSort sort, TicketSummary a, TicketSummary b)
    {
        var newerOrSame = market.ListedAt[a.Id] >= market.ListedAt[b.Id];
        return sort switch
        {
            TicketSort.PriceAscending => a.Price < b.Price || (a.Price == b.Price && newerOrSame),
            TicketSort.PriceDescending => a.Price > b.Price || (a.Price == b.Price && market.ListedAt[a.Id] <= market.ListedAt[b.Id]),
            TicketSort.EventDate => (a.EventDate, b.EventDate) switch
            {
                (null, not null) => false,
                (not null, null) => true,
                ({ } x, { } y) => x < y || (x == y && newerOrSame),
                _ => newerOrSame,
            },
            _ => newerOrSame,
        };
    }
}
