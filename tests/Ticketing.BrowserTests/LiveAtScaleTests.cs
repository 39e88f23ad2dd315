using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;
using Ticketing.BrowserTests.Support;
using Ticketing.Domain.Tickets;
using Ticketing.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

/// <summary>
/// A market of 2,000 listings, 1,000 of them one seller's, a few reserved and sold through the API:
/// the home page and the seller's page go live, stay live, follow changes within two seconds of the
/// API's answer, and search finds the oldest listing.
/// </summary>
public sealed class BigMarket(BrowserFixture browser) : IAsyncDisposable
{
    public const int Listings = 2_000;

    private static readonly TimeSpan Within = TimeSpan.FromSeconds(2);

    public BrowserSession Session { get; } = new(browser, Pages.Settings());

    public string SellerEmail { get; private set; } = string.Empty;

    public HttpClient Seller { get; private set; } = default!;

    /// <summary>The seller's listings, oldest first.</summary>
    public List<Ticket> SellersListings { get; private set; } = [];

    /// <summary>Everyone's oldest listing.</summary>
    public Ticket Oldest { get; private set; } = default!;

    public async Task SeedAsync()
    {
        var app = Session.App;
        (Seller, var sellerId, SellerEmail) = await SignUpAsync();
        var now = DateTimeOffset.UtcNow;
        var others = await Catalogue.ListTicketsAsync(app.DatabasePath, Guid.NewGuid(), Listings / 2, now.AddHours(-3));
        SellersListings = await Catalogue.ListTicketsAsync(app.DatabasePath, sellerId, Listings / 2, now.AddMinutes(-10), i => Catalogue.Listing((Listings / 2) + i, now));
        Oldest = others[0];

        // A market in motion: some of the newest listings held, some sold, through the API.
        var (holder, _, _) = await SignUpAsync();
        var (payer, _, _) = await SignUpAsync();
        foreach (var fromTheEnd in new[] { 3, 8, 13, 18 })
        {
            await ReserveAsync(holder, SellersListings[^fromTheEnd].Id);
        }

        foreach (var ticket in new[] { SellersListings[^5], SellersListings[^10], SellersListings[^21], others[^1] })
        {
            var order = await ReserveAsync(payer, ticket.Id);
            (await payer.PostAsJsonAsync("/api/payments", new { orderId = order, token = "tok_visa" })).EnsureSuccessStatusCode();
        }
    }

    public async ValueTask DisposeAsync() => await Session.DisposeAsync();

    /// <summary>A new user signed up through the API, on a client of its own that calls the app's real port.</summary>
    public async Task<(HttpClient Client, Guid Id, string Email)> SignUpAsync()
    {
        var client = Session.App.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Session.App.BaseAddress, HandleCookies = true });
        var email = $"user-{Guid.NewGuid():N}@example.com";
        var response = await client.PostAsJsonAsync("/api/users/signup", new { email, password = Pages.Password });
        response.EnsureSuccessStatusCode();
        return (client, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), email);
    }

    public static async Task<Guid> ReserveAsync(HttpClient buyer, Guid ticketId)
    {
        var response = await buyer.PostAsJsonAsync("/api/orders", new { ticketId });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>Waits for what the API's answer caused to show, and says how long after that answer it did.</summary>
    public static async Task ShowsWithinTwoSecondsAsync(ILocator shown, Stopwatch sinceAnswer, string what, ITestOutputHelper output)
    {
        await shown.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 15_000 });
        var elapsed = sinceAnswer.Elapsed;
        output.WriteLine($"{what} showed {elapsed.TotalMilliseconds:0} ms after the API answered");
        Assert.True(elapsed <= Within, $"{what} showed {elapsed.TotalMilliseconds:0} ms after the API answered");
    }
}

[Collection(BrowserCollection.Name)]
public sealed class LiveAtScaleTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly BigMarket _market = new(browser);

    public Task InitializeAsync() => _market.SeedAsync();

    public async Task DisposeAsync() => await _market.DisposeAsync();

    [Fact]
    public async Task Home_with_2000_listings_goes_live_stays_up_follows_a_new_listing_and_its_reservation_and_finds_the_oldest()
    {
        var page = await _market.Session.NewPageAsync();
        var circuit = CircuitWatch.On(page);
        await Pages.GoToInteractiveAsync(page, "/");
        await Expect(page.Locator(".ticket-grid[data-state=loaded] [data-ticket-id]")).ToHaveCountAsync(24);
        await Expect(page.Locator(".result-count")).ToContainTextAsync("2,000 tickets");

        await circuit.StaysUpAsync(page, TimeSpan.FromSeconds(10));

        var created = await ListAsync(_market.Seller, "Listed while the page is open");
        var card = page.Locator($".ticket-grid [data-ticket-id='{created.Id}']");
        await BigMarket.ShowsWithinTwoSecondsAsync(card, created.Answered, "The new listing", output);
        Assert.Equal(created.Id.ToString(), await page.Locator(".ticket-grid [data-ticket-id]").First.GetAttributeAsync("data-ticket-id"));

        var (buyer, _, _) = await _market.SignUpAsync();
        await BigMarket.ReserveAsync(buyer, created.Id);
        var answered = Stopwatch.StartNew();
        await BigMarket.ShowsWithinTwoSecondsAsync(page.Locator($".ticket-grid [data-ticket-id='{created.Id}'][data-status=reserved]"), answered, "The reservation", output);
        await Expect(card).ToContainTextAsync("Reserved until");

        await page.Locator("input[data-filter=search], [data-filter=search] input").First.FillAsync(_market.Oldest.Title);
        var only = page.Locator(".ticket-grid [data-ticket-id]");
        await Expect(only).ToHaveCountAsync(1);
        await Expect(only).ToHaveAttributeAsync("data-ticket-id", _market.Oldest.Id.ToString());
        await Expect(page.Locator(".result-count")).ToHaveTextAsync("1 ticket");
        circuit.AssertNeverDropped();
    }

    [Fact]
    public async Task My_listings_of_a_seller_with_1000_listings_goes_live_stays_up_follows_a_new_listing_and_its_reservation_and_finds_the_oldest()
    {
        var page = await _market.Session.NewPageAsync();
        await Pages.SignInAsync(page, _market.SellerEmail, Pages.Password);
        var circuit = CircuitWatch.On(page);
        await Pages.GoToInteractiveAsync(page, "/my/listings");
        await Expect(page.Locator(".listing-row[data-ticket-id]")).ToHaveCountAsync(20);
        await Expect(page.Locator(".result-count")).ToContainTextAsync("1,000 listings");

        await circuit.StaysUpAsync(page, TimeSpan.FromSeconds(10));

        var created = await ListAsync(_market.Seller, "My newest listing");
        var row = page.Locator($".listing-row[data-ticket-id='{created.Id}']");
        await BigMarket.ShowsWithinTwoSecondsAsync(row, created.Answered, "The new listing", output);
        Assert.Equal(created.Id.ToString(), await page.Locator(".listing-row[data-ticket-id]").First.GetAttributeAsync("data-ticket-id"));

        var (buyer, _, _) = await _market.SignUpAsync();
        await BigMarket.ReserveAsync(buyer, created.Id);
        var answered = Stopwatch.StartNew();
        await BigMarket.ShowsWithinTwoSecondsAsync(page.Locator($".listing-row[data-ticket-id='{created.Id}'][data-status=reserved]"), answered, "The reservation", output);
        await Expect(row.Locator("[data-field=live-status]")).ToContainTextAsync("Reserved by a buyer —");

        var oldest = _market.SellersListings[0];
        await page.Locator("input[data-filter=search], [data-filter=search] input").First.FillAsync(oldest.Title);
        var only = page.Locator(".listing-row[data-ticket-id]");
        await Expect(only).ToHaveCountAsync(1);
        await Expect(only).ToHaveAttributeAsync("data-ticket-id", oldest.Id.ToString());
        circuit.AssertNeverDropped();
    }

    private static async Task<(Guid Id, Stopwatch Answered)> ListAsync(HttpClient seller, string title)
    {
        var response = await seller.PostAsJsonAsync("/api/tickets", new { title = $"{title} {Guid.NewGuid():N}"[..40], price = 42.5m });
        var answered = Stopwatch.StartNew();
        response.EnsureSuccessStatusCode();
        return ((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), answered);
    }
}
