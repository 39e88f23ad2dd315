using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Paging;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Tickets;

/// <summary>A market of 2,500 listings a second apart, the newest an hour old, for walking the public list.</summary>
public sealed class MarketFixture : AppFixture
{
    public const int Seeded = 2_500;

    public Guid SellerId { get; private set; }

    /// <summary>The seeded listings, oldest first.</summary>
    public List<Ticket> Listings { get; private set; } = [];

    public override async Task InitializeAsync()
    {
        (_, SellerId, _) = await App.SignUpAsync();
        Listings = await Catalogue.ListTicketsAsync(App.DatabasePath, SellerId, Seeded, DateTimeOffset.UtcNow.AddHours(-1));
    }
}

/// <summary><c>GET /api/tickets</c> a page at a time: <c>limit</c>, the <c>after</c> cursor and the <c>Link</c> header.</summary>
public sealed partial class ListTicketsPagingTests(MarketFixture market) : IClassFixture<MarketFixture>
{
    private readonly TicketingApp _app = market.App;

    [Theory]
    [InlineData(null, 100)]
    [InlineData(500, 500)]
    [InlineData(77, 77)]
    public async Task Walk_FollowingTheLinkHeader_VisitsEveryListingOnceNewestFirst(int? limit, int pageSize)
    {
        using var anonymous = _app.CreateUserClient();

        var (walked, pages) = await WalkAsync(anonymous, limit is null ? "/api/tickets" : $"/api/tickets?limit={limit}");

        var total = await TotalAsync();
        Assert.Equal(total, walked.Count);
        Assert.Equal(total, walked.Select(t => t.Id).Distinct().Count());
        Assert.Equal((total + pageSize - 1) / pageSize, pages);
        var seededNewestFirst = Enumerable.Reverse(market.Listings).Select(t => t.Id);
        Assert.Equal(seededNewestFirst, walked.Select(t => t.Id).Where(market.Listings.Select(t => t.Id).ToHashSet().Contains));
        Assert.Equal(market.Listings[^1].Title, walked.First(t => t.UserId == market.SellerId && t.Title.Contains('#')).Title);
    }

    [Fact]
    public async Task Link_KeepsTheQueryAndPointsAfterTheLastListingOfThePage()
    {
        using var anonymous = _app.CreateUserClient();
        var response = await anonymous.GetAsync("/api/tickets?status=available&q=RADIOHEAD&limit=5");

        var next = NextLink(response);

        Assert.Matches(@"^/api/tickets\?status=available&q=RADIOHEAD&limit=5&after=[A-Za-z0-9_-]+$", next);
        var first = (await response.Content.ReadFromJsonAsync<List<TicketDto>>())!;
        var second = (await anonymous.GetFromJsonAsync<List<TicketDto>>(next))!;
        Assert.Equal(5, first.Count);
        Assert.Equal(5, second.Count);
        Assert.Empty(first.Select(t => t.Id).Intersect(second.Select(t => t.Id)));
        Assert.All(first.Concat(second), t => Assert.Contains("radiohead", t.Title, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task LastPage_HasNoLink()
    {
        using var anonymous = _app.CreateUserClient();
        var oldest = market.Listings[0];

        var response = await anonymous.GetAsync($"/api/tickets?q={Uri.EscapeDataString(oldest.Title)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Link"));
        Assert.Equal([oldest.Id], (await response.Content.ReadFromJsonAsync<List<TicketDto>>())!.Select(t => t.Id));
    }

    [Fact]
    public async Task Search_MatchesTitleOrVenueIgnoringCase_AndSendsWholeTickets()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var byTitle = await seller.ListTicketAsync("Zebra-striped séance");
        var byVenue = (await (await seller.PostAsJsonAsync("/api/tickets", new { title = "Quiet night", price = 12m, venue = "The ZEBRA Rooms" }))
            .Content.ReadFromJsonAsync<TicketDto>())!;
        using var anonymous = _app.CreateUserClient();

        var found = (await anonymous.GetFromJsonAsync<List<TicketDto>>("/api/tickets?q=%20zebra%20"))!;

        Assert.Equal([byVenue, byTitle], found);
    }

    /// <summary>Among 2,500 listings, a search finds accented and Greek letters in either case, as ASCII ones.</summary>
    [Theory]
    [InlineData("überraschung")]
    [InlineData("ÜBERRASCHUNG")]
    [InlineData("ωmega")]
    [InlineData("città")]
    [InlineData("CITTÀ")]
    public async Task Search_IgnoresTheCaseOfEveryLetter_NotOnlyAscii(string q)
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var listed = (await (await seller.PostAsJsonAsync("/api/tickets", new { title = $"Überraschung Ωmega {Guid.NewGuid():N}", price = 31m, venue = "Teatro della Città" }))
            .Content.ReadFromJsonAsync<TicketDto>())!;
        using var anonymous = _app.CreateUserClient();

        var found = (await anonymous.GetFromJsonAsync<List<TicketDto>>($"/api/tickets?q={Uri.EscapeDataString(q)}&limit=500"))!;

        Assert.Contains(listed, found);
        Assert.DoesNotContain(found, t => !t.Title.Contains("Überraschung", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_OfTenKilobytes_IsAnEmptyPage()
    {
        using var anonymous = _app.CreateUserClient();

        var response = await anonymous.GetAsync($"/api/tickets?q={new string('q', 10_000)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[]", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("Link"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("501")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("1e2")]
    [InlineData("+5")]
    [InlineData(" 5")]
    [InlineData("99999999999999999999")]
    public async Task Limit_ThatIsNotAWholeNumberFrom1To500_Is400OnLimit(string limit)
    {
        using var anonymous = _app.CreateUserClient();

        var response = await anonymous.GetAsync($"/api/tickets?limit={Uri.EscapeDataString(limit)}");

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, field: "limit");
    }

    [Theory]
    [InlineData("not-a-cursor")]
    [InlineData("dA")]
    [InlineData("%25%25%25")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task After_ThatIsNotACursor_Is400OnAfter(string after)
    {
        using var anonymous = _app.CreateUserClient();

        var response = await anonymous.GetAsync($"/api/tickets?after={after}");

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, field: "after");
    }

    [Fact]
    public async Task After_ForgedOrTamperedWith_Is400OnAfterOrAPage_NeverA500()
    {
        using var anonymous = _app.CreateUserClient();
        var next = NextLink(await anonymous.GetAsync("/api/tickets?limit=3"));
        var cursor = AfterParameter().Match(next).Groups[1].Value;
        var forged = new List<string>
        {
            cursor[..^1] + (cursor[^1] == 'A' ? 'B' : 'A'),
            cursor[1..],
            cursor + cursor,
            new string('A', 10_000),
            new ListCursor(DateTimeOffset.MaxValue, Guid.Empty).Encode(ListCursor.Tickets),
            new ListCursor(DateTimeOffset.MinValue, Guid.NewGuid()).Encode(ListCursor.Tickets),
            new ListCursor(DateTimeOffset.UtcNow, Guid.NewGuid()).Encode(ListCursor.Orders),
        };

        foreach (var after in forged)
        {
            var response = await anonymous.GetAsync($"/api/tickets?limit=3&after={Uri.EscapeDataString(after)}");

            if (response.StatusCode != HttpStatusCode.OK)
            {
                await response.AssertErrorAsync(HttpStatusCode.BadRequest, field: "after");
            }
            else
            {
                Assert.True((await response.Content.ReadFromJsonAsync<List<TicketDto>>())!.Count <= 3);
            }
        }

        await (await anonymous.GetAsync($"/api/tickets?after={forged[^1]}")).AssertErrorAsync(HttpStatusCode.BadRequest, field: "after");
        Assert.Equal("[]", await anonymous.GetStringAsync($"/api/tickets?after={forged[^2]}"));
    }

    [Theory]
    [InlineData("limit=1&limit=2")]
    [InlineData("q=a&q=b")]
    [InlineData("status=sold&status=available")]
    [InlineData("after=x&after=y")]
    [InlineData("q=%00%FF%FE")]
    [InlineData("q=%25%5F%5B%5C")]
    [InlineData("limit=%00")]
    public async Task OddQueries_AreA400OrAPage_NeverA500(string query)
    {
        using var anonymous = _app.CreateUserClient();

        var response = await anonymous.GetAsync($"/api/tickets?{query}");

        if (response.StatusCode != HttpStatusCode.OK)
        {
            await response.AssertErrorAsync(HttpStatusCode.BadRequest);
        }
        else
        {
            Assert.True((await response.Content.ReadFromJsonAsync<List<TicketDto>>())!.Count <= 100);
        }
    }

    [Fact]
    public async Task StatusAndLimitAndAfter_AllWrong_EachNamesItsField()
    {
        using var anonymous = _app.CreateUserClient();

        await (await anonymous.GetAsync("/api/tickets?status=pending&limit=5")).AssertErrorAsync(HttpStatusCode.BadRequest, field: "status");
        await (await anonymous.GetAsync("/api/tickets?status=sold&limit=0")).AssertErrorAsync(HttpStatusCode.BadRequest, field: "limit");
        await (await anonymous.GetAsync("/api/tickets?status=sold&after=x")).AssertErrorAsync(HttpStatusCode.BadRequest, field: "after");
    }

    internal static string NextLink(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("Link", out var values), "a Link header");
        var match = LinkNext().Match(Assert.Single(values));
        Assert.True(match.Success, string.Join(", ", values));
        return match.Groups[1].Value;
    }

    internal static async Task<(List<T> Items, int Pages)> WalkAsync<T>(HttpClient client, string first)
    {
        var items = new List<T>();
        var pages = 0;
        for (string? next = first; next is not null; pages++)
        {
            Assert.True(pages < 10_000, "The walk ends.");
            var response = await client.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            items.AddRange((await response.Content.ReadFromJsonAsync<List<T>>())!);
            next = response.Headers.Contains("Link") ? NextLink(response) : null;
        }

        return (items, pages);
    }

    private Task<(List<TicketDto> Items, int Pages)> WalkAsync(HttpClient client, string first) => WalkAsync<TicketDto>(client, first);

    private async Task<int> TotalAsync()
    {
        await using var db = _app.CreateDbContext();
        return db.Tickets.Count(t => !t.IsWithdrawn);
    }

    [GeneratedRegex("""^<([^>]+)>; rel="next"$""")]
    private static partial Regex LinkNext();

    [GeneratedRegex("after=([^&]+)")]
    private static partial Regex AfterParameter();
}
