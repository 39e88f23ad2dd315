using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Ticketing.BrowserTests.Support;
using Ticketing.Domain.Tickets;
using Ticketing.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

/// <summary>
/// With 10,000 listings, Chromium starts the home page's circuit under SignalR's default 32 KB
/// message limit (which the app keeps): the real messages the browser sends are measured, and the
/// page then follows a change live. Also when the newest listings have the longest titles and
/// venues JSON can make of them.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CircuitStartupTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private const int HubMessageLimit = 32 * 1024;

    private readonly BrowserSession _session = new(browser, Pages.Settings());

    public async Task InitializeAsync()
    {
        _ = _session.App.BaseAddress;
        await Catalogue.ListTicketsAsync(_session.App.DatabasePath, Guid.NewGuid(), 10_000, DateTimeOffset.UtcNow.AddHours(-1));
    }

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task Home_with_10000_listings_starts_its_circuit_under_the_default_message_limit_and_goes_live()
    {
        await AssertStartsAndGoesLiveAsync("realistic listings");

        var longest = string.Concat(Enumerable.Repeat("東京音楽祭の前列席チケット", 10))[..TicketDetails.MaxTitleLength];
        await Catalogue.ListTicketsAsync(
            _session.App.DatabasePath, Guid.NewGuid(), 30, DateTimeOffset.UtcNow.AddMinutes(-1),
            i => TicketDetails.Create(longest[..^3] + $"{i:D3}", 999_999.99m, DateTimeOffset.UtcNow.AddDays(9), longest));

        await AssertStartsAndGoesLiveAsync("the longest CJK titles and venues");
    }

    private async Task AssertStartsAndGoesLiveAsync(string listings)
    {
        var page = await _session.NewPageAsync();
        var circuit = CircuitWatch.On(page);
        await Pages.GoToInteractiveAsync(page, "/");
        await Expect(page.Locator(".ticket-grid[data-state=loaded] [data-ticket-id]")).ToHaveCountAsync(24);

        var largest = circuit.Sent.Max();
        output.WriteLine($"{listings}: the browser sent {circuit.Sent.Count} messages, the largest {largest} bytes (the first: {circuit.Sent[0]}, {circuit.Sent.ElementAtOrDefault(1)})");
        Assert.True(largest < HubMessageLimit, $"{largest} bytes sent in one message");

        var seller = _session.App.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = _session.App.BaseAddress, HandleCookies = true });
        (await seller.PostAsJsonAsync("/api/users/signup", new { email = $"user-{Guid.NewGuid():N}@example.com", password = Pages.Password })).EnsureSuccessStatusCode();
        var title = $"Listed after start-up {Guid.NewGuid():N}"[..34];
        (await seller.PostAsJsonAsync("/api/tickets", new { title, price = 10m })).EnsureSuccessStatusCode();
        await Expect(page.Locator(".ticket-grid [data-ticket-id]").First).ToContainTextAsync(title);
        circuit.AssertNeverDropped();
    }
}
