using System.Net;
using System.Text.RegularExpressions;
using Ticketing.Domain.Tickets;
using Ticketing.Testing;
using Ticketing.Web.Tests.Api;
using Xunit.Abstractions;

namespace Ticketing.Web.Tests.Hosting;

/// <summary>
/// A browser starts its circuit by sending back what the prerendered page holds for it: the
/// component markers and the persisted state. SignalR refuses a message over 32 KB (the default
/// that stays), and the circuit then never starts. With 10,000 listings that message stays well
/// under, however long the listings' titles and venues are.
/// </summary>
public sealed partial class CircuitStartupSizeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int HubMessageLimit = 32 * 1024;

    private readonly TicketingApp _app = new(settings: AppFixture.Settings());
    private HttpClient _seller = default!;
    private Guid _sellerId;

    public async Task InitializeAsync()
    {
        (_seller, _sellerId, _) = await _app.SignUpAsync();
        await Catalogue.ListTicketsAsync(_app.DatabasePath, Guid.NewGuid(), 9_000, DateTimeOffset.UtcNow.AddHours(-2));
        await Catalogue.ListTicketsAsync(_app.DatabasePath, _sellerId, 1_000, DateTimeOffset.UtcNow.AddHours(-1));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/")]
    [InlineData("/?page=200")]
    [InlineData("/?sort=price-desc&status=available")]
    [InlineData("/my/listings")]
    [InlineData("/my/listings?page=50")]
    public async Task StartUpMessage_WithTenThousandListings_StaysUnderTheLimit(string path)
    {
        var page = await PrerenderAsync(path);

        output.WriteLine($"{path}: {page.StartUpBytes} bytes to start, {page.State.Length} of state, {page.Html.Length} of HTML");
        Assert.True(page.StartUpBytes < HubMessageLimit - 4096, $"{path}: {page.StartUpBytes} bytes to start the circuit");
        Assert.True(page.State.Length > 0, $"{path} carries its listings into the circuit");
        Assert.InRange(page.Cards, 1, 24);
        Assert.True(page.Html.Length < 150_000, $"{path}: {page.Html.Length} characters of HTML");
    }

    [Fact]
    public async Task StartUpMessage_WithTheLongestTitlesAndVenuesInAnyScript_StaysUnderTheLimit()
    {
        // What JSON escapes most: 120 characters of CJK in every title and venue (six bytes each as \uXXXX).
        var longest = string.Concat(Enumerable.Repeat("東京音楽祭の前列席チケット", 10))[..TicketDetails.MaxTitleLength];
        await Catalogue.ListTicketsAsync(
            _app.DatabasePath, _sellerId, 30, DateTimeOffset.UtcNow.AddMinutes(-1),
            i => TicketDetails.Create(longest[..^3] + $"{i:D3}", 999_999.99m, DateTimeOffset.UtcNow.AddDays(30), longest, new string('説', TicketDetails.MaxDescriptionLength)));

        foreach (var (path, cards) in new[] { ("/", 24), ("/my/listings", 20) })
        {
            var page = await PrerenderAsync(path);

            // Too big to carry: the page shows the cards and its circuit reads them again.
            output.WriteLine($"{path}: {page.StartUpBytes} bytes to start, {page.State.Length} of state, {page.Html.Length} of HTML");
            Assert.True(page.StartUpBytes < HubMessageLimit - 4096, $"{path}: {page.StartUpBytes} bytes to start the circuit");
            Assert.Equal(cards, page.Cards);
            Assert.Contains("&#x6771;&#x4EAC;", page.Html, StringComparison.Ordinal);
        }
    }

    private async Task<Prerendered> PrerenderAsync(string path)
    {
        var client = path.StartsWith("/my", StringComparison.Ordinal) ? _seller : _app.CreateUserClient();
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var markers = ServerMarker().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(markers);
        var state = StateComment().Match(html) is { Success: true } s ? s.Groups[1].Value : string.Empty;

        // StartCircuit(baseUri, uri, the markers' descriptors as a JSON array, the state): an upper
        // bound of what the browser sends, with room for the framing.
        var address = new Uri(_app.BaseAddress, path).ToString();
        var startUp = (2 * address.Length) + markers.Sum(m => m.Length + 1) + state.Length + 512;
        return new Prerendered(html, state, startUp, CardOrRow().Count(html));
    }

    private sealed record Prerendered(string Html, string State, int StartUpBytes, int Cards);

    [GeneratedRegex("""<!--Blazor:(\{"type":"server".*?\})-->""")]
    private static partial Regex ServerMarker();

    [GeneratedRegex("<!--Blazor-Server-Component-State:([A-Za-z0-9+/=]*)-->")]
    private static partial Regex StateComment();

    [GeneratedRegex("""class="[^"]*(ticket-card-link|listing-row listing-row--)""")]
    private static partial Regex CardOrRow();
}
