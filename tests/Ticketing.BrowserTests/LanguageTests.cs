using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Ticketing.BrowserTests.Support;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

/// <summary>
/// A browser set to German gets German pages, prices and dates in its own time zone, also from the
/// live circuit (reserving and paying); the switcher in the app bar changes the language and back,
/// and the choice outranks the browser's.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LanguageTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly BrowserSession _session = new(browser, Pages.Settings());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task German_browser_gets_German_pages_and_buys_in_German()
    {
        var page = await _session.NewPageAsync(locale: "de-DE", timezoneId: "Europe/Berlin");
        var ticketId = await ListAsync("Arctic Monkeys, standing", 85m, new DateTimeOffset(2026, 12, 24, 19, 0, 0, TimeSpan.Zero), "O2 Arena");

        await Pages.GoToInteractiveAsync(page, "/");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "de");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Tickets zu verkaufen");
        var card = page.Locator($"[data-ticket-id='{ticketId}']");
        await Expect(card.Locator("[data-field=price]")).ToHaveTextAsync("85,00 $");
        await Expect(card.Locator(".status-chip")).ToContainTextAsync("Verfügbar");

        // The ticket page, in the browser's zone (Berlin is UTC+1 in December) and German.
        await Pages.GoToInteractiveAsync(page, $"/tickets/{ticketId}");
        await Expect(page.Locator("[data-field=event-date]")).ToHaveTextAsync("Donnerstag, 24. Dezember 2026, 20:00");
        await Expect(page.GetByText("Über dieses Ticket")).ToBeVisibleAsync();

        // A German watcher keeps the home page open: live changes arrive in its language too.
        var watcher = await _session.NewPageAsync(locale: "de-DE", timezoneId: "Europe/Berlin");
        await Pages.GoToInteractiveAsync(watcher, "/");
        var watched = watcher.Locator($"[data-ticket-id='{ticketId}']");
        await Expect(watched.Locator(".status-chip")).ToContainTextAsync("Verfügbar");

        // The circuit speaks German too: reserving and paying.
        await Pages.RegisterAsync(page);
        // A page reached by a click inside the circuit (the order page, after Purchase) speaks German too.
        await Pages.PurchaseAsync(page, ticketId);
        await Expect(page.Locator("[data-order-price]")).ToHaveTextAsync("85,00 $");
        await Expect(page.Locator("[data-countdown]").First).ToHaveTextAsync(new Regex(@"^noch 1?\d:\d\d$"));
        await page.GetByText("Visa •••• 4242 (Zahlung gelingt)").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Bezahlen", Exact = true }).ClickAsync();
        await Expect(page.Locator("[data-order-status]").First).ToHaveAttributeAsync("data-order-status", "complete");
        await Expect(page.Locator("[data-status-chip]")).ToContainTextAsync("Bezahlt");
        await Expect(watched.Locator(".status-chip")).ToContainTextAsync("Verkauft");
    }

    [Fact]
    public async Task Switcher_changes_the_language_and_back_and_outranks_the_browser()
    {
        var page = await _session.NewPageAsync(locale: "de-DE");
        var ticketId = await ListAsync("Coldplay, block 104", 129.5m, null, null);

        await Pages.GoToInteractiveAsync(page, $"/tickets/{ticketId}");
        await Expect(page.Locator("[data-field=price]")).ToHaveTextAsync("129,50 $");

        await page.Locator("[data-action=switch-language][data-culture=en]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/tickets/{ticketId}$"));
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.Locator("[data-field=price]")).ToHaveTextAsync("$129.50");
        await Expect(page.GetByText("About this ticket")).ToBeVisibleAsync();

        // The choice sticks on other pages, although the browser still asks for German.
        await Pages.GoToInteractiveAsync(page, "/");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Tickets for sale");

        await page.Locator("[data-action=switch-language][data-culture=de]").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "de");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Tickets zu verkaufen");
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
    }

    private async Task<Guid> ListAsync(string title, decimal price, DateTimeOffset? eventDate, string? venue)
    {
        // Over the real socket: in Kestrel mode the factory's own clients do not reach the server.
        using var seller = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = _session.App.BaseAddress };
        var signUp = await seller.PostAsJsonAsync("/api/users/signup", new { email = $"seller-{Guid.NewGuid():N}@example.com", password = Pages.Password });
        signUp.EnsureSuccessStatusCode();
        var response = await seller.PostAsJsonAsync("/api/tickets", new { title, price, eventDate, venue });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Created>())!.Id;
    }

    private sealed record Created(Guid Id);
}
