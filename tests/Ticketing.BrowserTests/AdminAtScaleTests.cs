using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using Ticketing.BrowserTests.Support;
using Ticketing.Domain.Tickets;
using Ticketing.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

/// <summary>
/// The admin dashboard on a market of 2,000 listings, in Chromium against the app on Kestrel: it
/// becomes interactive and stays connected, follows a listing and a reservation made through the
/// API within two seconds each, and searches the whole market.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminAtScaleTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private const int ListingCount = 2_000;
    private static readonly TimeSpan LiveWithin = TimeSpan.FromSeconds(2);

    private readonly BrowserSession _session = new(browser, Pages.Settings());
    private List<SeededListing> _market = [];

    public async Task InitializeAsync()
    {
        var services = _session.App.Services;
        var oldest = DateTimeOffset.UtcNow.AddHours(-3);
        var sellers = await MarketSeed.UsersAsync(services, "seller", 20, oldest);
        var buyers = await MarketSeed.UsersAsync(services, "buyer", 20, oldest);
        _market = await MarketSeed.ListingsAsync(
            services,
            sellers,
            ListingCount,
            oldest,
            i => TicketDetails.Create($"Gig {i:D4}", 20m + (i % 180), venue: i % 2 == 0 ? "O2 Arena" : "Royal Albert Hall"),
            i => i % 5 == 1 ? (buyers[i % buyers.Count], SeededOutcome.Paid) : null,
            TimeSpan.FromDays(1));
    }

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task Dashboard_over_2000_listings_stays_live_and_searches_the_whole_market()
    {
        var admin = await _session.NewPageAsync();
        var disconnects = new List<string>();
        admin.Console += (_, message) =>
        {
            if (message.Type == "error" || message.Text.Contains("disconnected", StringComparison.OrdinalIgnoreCase))
            {
                disconnects.Add(message.Text);
            }
        };

        // Signed in straight into the dashboard: no other page (and its circuit) opens on the way.
        await admin.GotoAsync("/account/login?returnUrl=%2Fadmin");
        await admin.Locator("#login-email").FillAsync(TicketingApp.AdminEmail);
        await admin.Locator("#login-password").FillAsync(TicketingApp.AdminPassword);
        await admin.Locator("[data-action=submit-login]").ClickAsync();
        await Expect(admin).ToHaveURLAsync(new Regex("/admin$"));
        await Pages.WaitInteractiveAsync(admin);
        var listings = admin.Locator("[data-listings-grid]");
        await Expect(listings.Locator("[data-listing-id]")).ToHaveCountAsync(10);
        await Expect(listings.Locator(".mud-table-pagination-caption").Last).ToHaveTextAsync("1-10 of 2,000");
        await Expect(admin.Locator("[data-figure=listed]")).ToHaveTextAsync("2,000");

        // The circuit holds: ten seconds on, no disconnect was logged and no reconnect prompt shows.
        await Task.Delay(TimeSpan.FromSeconds(10));
        Assert.Empty(disconnects);
        await Expect(admin.Locator("#components-reconnect-modal.components-reconnect-show, #components-reconnect-modal[open]")).ToHaveCountAsync(0);

        // A listing created through the API shows at the top of the grid.
        using var seller = await SignUpAsync();
        var created = await seller.PostAsJsonAsync("/api/tickets", new { title = "Fresh from the API", price = 42.5m });
        var answeredAt = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ticketId = (await created.Content.ReadFromJsonAsync<IdBody>())!.Id;
        var row = listings.Locator($"[data-listing-id='{ticketId}']");
        await Expect(row).ToHaveAttributeAsync("data-listing-status", "available", new() { Timeout = Remaining(answeredAt) });
        output.WriteLine($"new listing on the dashboard {answeredAt.ElapsedMilliseconds} ms after the API answered");
        await Expect(listings.Locator("[data-listing-id]").First).ToHaveAttributeAsync("data-listing-id", ticketId.ToString());

        // Then its reservation: the row locks and the order shows.
        using var buyer = await SignUpAsync();
        var reserved = await buyer.PostAsJsonAsync("/api/orders", new { ticketId });
        answeredAt.Restart();
        Assert.Equal(HttpStatusCode.Created, reserved.StatusCode);
        var orderId = (await reserved.Content.ReadFromJsonAsync<IdBody>())!.Id;
        await Expect(row).ToHaveAttributeAsync("data-listing-status", "reserved", new() { Timeout = Remaining(answeredAt) });
        await Expect(admin.Locator($"[data-orders-grid] [data-order-id='{orderId}']")).ToHaveAttributeAsync("data-order-status", "created", new() { Timeout = Remaining(answeredAt) });
        output.WriteLine($"reservation on the dashboard {answeredAt.ElapsedMilliseconds} ms after the API answered");

        // Search finds the oldest listing, and every other listing leaves the grid.
        var oldest = _market[0].Ticket;
        var searching = Stopwatch.StartNew();
        await admin.Locator("input[data-listings-search]").FillAsync(oldest.Title);
        await Expect(listings.Locator("[data-listing-id]")).ToHaveCountAsync(1);
        output.WriteLine($"search of 2,000 listings answered on screen in {searching.ElapsedMilliseconds} ms (300 ms of it the typing debounce)");

        // Typed key by key, with pauses that let each word's search run while the next keys arrive:
        // the box keeps every key.
        var box = admin.Locator("input[data-listings-search]");
        await box.FillAsync(string.Empty);
        await Expect(listings.Locator("[data-listing-id]")).Not.ToHaveCountAsync(1);
        await box.FocusAsync();
        foreach (var part in System.Text.RegularExpressions.Regex.Split(oldest.Title, @"(?<= )"))
        {
            await admin.Keyboard.TypeAsync(part);
            await admin.WaitForTimeoutAsync(320);
        }

        await Expect(box).ToHaveValueAsync(oldest.Title);
        await Expect(listings.Locator("[data-listing-id]")).ToHaveCountAsync(1);
        await Expect(listings.Locator("[data-listing-id]")).ToHaveAttributeAsync("data-listing-id", oldest.Id.ToString());
        await Expect(listings.Locator(".mud-table-pagination-caption").Last).ToHaveTextAsync("1-1 of 1");
        Assert.Empty(disconnects);
    }

    /// <summary>What is left of the two seconds since the API answered, for an assertion's timeout.</summary>
    private static float Remaining(Stopwatch sinceAnswer) =>
        (float)Math.Max(1, (LiveWithin - sinceAnswer.Elapsed).TotalMilliseconds);

    /// <summary>A new account signed up through the API, on a client that keeps its cookie.</summary>
    private async Task<HttpClient> SignUpAsync()
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = _session.App.BaseAddress };
        var email = $"api-{Guid.NewGuid():N}@example.com";
        var response = await client.PostAsJsonAsync("/api/users/signup", new { email, password = Pages.Password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return client;
    }

    private sealed record IdBody(Guid Id);
}
