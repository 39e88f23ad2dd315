using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Paging;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Infrastructure.Tickets;

namespace Ticketing.Infrastructure.Tests.Tickets;

/// <summary>The API's list, walked with its cursor over thousands of listings.</summary>
public sealed class TicketListWalkTests(ListingMarket market) : IClassFixture<ListingMarket>
{
    [Theory]
    [InlineData(500)]
    [InlineData(100)]
    public async Task Walk_OverTheWholeMarket_VisitsEachListingOnceNewestFirst(int limit)
    {
        var walked = await WalkAsync(new TicketFilter(), limit);

        Assert.Equal(market.All.Count, walked.Count);
        Assert.Equal(market.All.Count, walked.Select(t => t.Id).Distinct().Count());
        Assert.All(walked, t => Assert.Equal(market.All[t.Id], t));
        AssertNewestFirst(walked);
    }

    [Fact]
    public async Task Walk_ThroughListingsAllMadeAtTheSameInstant_VisitsEachOnce()
    {
        var walked = await WalkAsync(new TicketFilter(SellerId: market.TiedSeller), limit: 7);

        var tied = market.All.Values.Where(t => t.UserId == market.TiedSeller).Select(t => t.Id).ToHashSet();
        Assert.Equal(600, tied.Count);
        Assert.Equal(tied.Count, walked.Count);
        Assert.True(tied.SetEquals(walked.Select(t => t.Id)));
    }

    [Theory]
    [InlineData(TicketStatus.Available)]
    [InlineData(TicketStatus.Reserved)]
    [InlineData(TicketStatus.Sold)]
    public async Task Walk_WithAStatus_VisitsExactlyTheListingsInThatStatus(TicketStatus status)
    {
        var walked = await WalkAsync(new TicketFilter(Status: status), limit: 250);

        var expected = market.All.Values.Where(t => t.Status == TicketView.StatusName(status)).Select(t => t.Id).ToHashSet();
        Assert.NotEmpty(expected);
        Assert.True(expected.SetEquals(walked.Select(t => t.Id)));
        Assert.Equal(expected.Count, walked.Count);
        AssertNewestFirst(walked);
    }

    [Fact]
    public async Task Walk_WithASearch_VisitsTheListingsWhoseTitleOrVenueContainsItIgnoringCase()
    {
        var walked = await WalkAsync(new TicketFilter("  tIED hALL "), limit: 50);

        var expected = market.All.Values.Where(t => t.Venue == "Tied Hall").Select(t => t.Id).ToHashSet();
        Assert.Equal(300, expected.Count);
        Assert.True(expected.SetEquals(walked.Select(t => t.Id)));
    }

    [Fact]
    public async Task FirstPage_IsTheNewestListings_WithACursorOnlyWhenMoreFollow()
    {
        var first = await ListAsync(new TicketFilter(), after: null, limit: 100);
        var cottonClub = await ListAsync(new TicketFilter("cotton club"), after: null, limit: 100);

        Assert.Equal(market.All.Values.OrderByDescending(t => Listed(t)).Take(100).Select(t => t.Id).ToHashSet(), first.Items.Select(t => t.Id).ToHashSet());
        Assert.NotNull(first.Next);
        Assert.Single(cottonClub.Items);
        Assert.Null(cottonClub.Next);
    }

    [Fact]
    public async Task Search_LongerThanAnyTitleOrVenue_IsEmptyWithoutTouchingTheDatabase()
    {
        market.Commands.Clear();

        var page = await ListAsync(new TicketFilter(new string('a', 10_000)), after: null, limit: 500);

        Assert.Empty(page.Items);
        Assert.Null(page.Next);
        Assert.DoesNotContain(market.Commands.Commands, c => c.Sql.Contains("\"tickets\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(501)]
    [InlineData(-1)]
    public async Task Limit_OutsideOneTo500_IsRefused(int limit)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ListAsync(new TicketFilter(), after: null, limit));
    }

    private async Task<List<TicketView>> WalkAsync(TicketFilter filter, int limit)
    {
        var walked = new List<TicketView>();
        ListCursor? after = null;
        for (var pages = 0; ; pages++)
        {
            Assert.True(pages <= market.All.Count, "The walk ends.");
            var page = await ListAsync(filter, after, limit);
            Assert.True(page.Items.Count <= limit);
            walked.AddRange(page.Items);
            if (page.Next is not { } next)
            {
                return walked;
            }

            Assert.Equal(limit, page.Items.Count);
            after = next;
        }
    }

    private Task<CursorPage<TicketView>> ListAsync(TicketFilter filter, ListCursor? after, int limit) =>
        market.UseAsync<TicketListings, CursorPage<TicketView>>(l => l.ListAsync(filter, after, limit));

    private DateTimeOffset Listed(TicketView ticket) => market.ListedAt[ticket.Id];

    private void AssertNewestFirst(List<TicketView> walked)
    {
        for (var i = 1; i < walked.Count; i++)
        {
            Assert.True(Listed(walked[i - 1]) >= Listed(walked[i]), $"{walked[i - 1].Title} before {walked[i].Title}");
        }
    }
}
