using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;
using Ticketing.BrowserTests.Support;
using Ticketing.Domain.Tickets;
using Ticketing.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

/// <summary>
/// The home page is rendered statically around its live market: a search, another page or a theme
/// switch renders the page again around the market, which stays live without reloading, and the page
/// reached from an interactive page (and left for one) works like any other.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HomeLiveIslandTests(BrowserFixture browser) : IAsyncLifetime
{
    private const int Listings = 60;

    private readonly BrowserSession _session = new(browser, Pages.Settings());
    private List<Ticket> _oldestFirst = [];

    public async Task InitializeAsync()
    {
        _ = _session.App.BaseAddress;
        _oldestFirst = await Catalogue.ListTicketsAsync(_session.App.DatabasePath, Guid.NewGuid(), Listings, DateTimeOffset.UtcNow.AddHours(-1));
    }

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task Market_stays_live_after_a_search_and_on_the_next_page_without_reloading()
    {
        var page = await _session.NewPageAsync();
        var circuit = CircuitWatch.On(page);
        await Pages.GoToInteractiveAsync(page, "/");
        await Expect(page.Locator(".ticket-grid[data-state=loaded] [data-ticket-id]")).ToHaveCountAsync(24);
        await Pages.MarkWindowAsync(page);
        var buyer = await SignUpAsync();

        var wanted = _oldestFirst[10];
        await page.Locator("input[data-filter=search]").FillAsync(wanted.Title);
        var found = page.Locator(".ticket-grid [data-ticket-id]");
        await Expect(found).ToHaveCountAsync(1);
        await Expect(found).ToHaveAttributeAsync("data-ticket-id", wanted.Id.ToString());
        await Expect(page).ToHaveURLAsync(new Regex(@"\?q="));
        await Pages.WaitInteractiveAsync(page);

        (await buyer.PostAsJsonAsync("/api/orders", new { ticketId = wanted.Id })).EnsureSuccessStatusCode();
        await Expect(found).ToHaveAttributeAsync("data-status", "reserved");

        await page.Locator("input[data-filter=search]").FillAsync(string.Empty);
        await Expect(page.Locator(".ticket-grid [data-ticket-id]")).ToHaveCountAsync(24);
        await page.Locator("[data-action=next-page]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"\?page=2$"));
        var onPageTwo = _oldestFirst[Listings - 1 - 24 - 3];
        var card = page.Locator($".ticket-grid [data-ticket-id='{onPageTwo.Id}']");
        await Expect(card).ToHaveAttributeAsync("data-status", "available");
        await Pages.WaitInteractiveAsync(page);

        (await buyer.PostAsJsonAsync("/api/orders", new { ticketId = onPageTwo.Id })).EnsureSuccessStatusCode();
        await Expect(card).ToHaveAttributeAsync("data-status", "reserved");
        await Pages.AssertNotReloadedAsync(page);
        circuit.AssertNeverDropped();
    }

    [Fact]
    public async Task Typing_a_search_through_pauses_keeps_every_character_while_the_page_follows_it()
    {
        var page = await _session.NewPageAsync();
        await Pages.GoToInteractiveAsync(page, "/");
        await Expect(page.Locator(".ticket-grid[data-state=loaded] [data-ticket-id]")).ToHaveCountAsync(24);
        await Pages.MarkWindowAsync(page);
        var wanted = _oldestFirst[10];
        var search = page.Locator("input[data-filter=search]");
        await search.FocusAsync();

        // Each pause outlasts the debounce, so the page searches (and updates its address) for the
        // words so far, trimmed, while the next keys are already arriving.
        foreach (var part in Regex.Split(wanted.Title, @"(?<= )"))
        {
            await page.Keyboard.TypeAsync(part);
            await page.WaitForTimeoutAsync(270);
        }

        await Expect(search).ToHaveValueAsync(wanted.Title);
        var found = page.Locator(".ticket-grid[data-state=loaded] [data-ticket-id]");
        await Expect(found).ToHaveCountAsync(1);
        await Expect(found).ToHaveAttributeAsync("data-ticket-id", wanted.Id.ToString());
        await Expect(search).ToHaveValueAsync(wanted.Title);

        // A change of view the keyboard did not make shows in the box: clearing the filters empties it.
        await page.Keyboard.TypeAsync(" and nothing else");
        await page.Locator("[data-action=clear-filters]").ClickAsync();
        await Expect(search).ToHaveValueAsync(string.Empty);
        await Expect(found).ToHaveCountAsync(24);
        await Pages.AssertNotReloadedAsync(page);
    }

    [Fact]
    public async Task Theme_toggle_on_the_home_page_switches_to_dark_and_keeps_it()
    {
        var page = await _session.NewPageAsync();
        await Pages.GoToInteractiveAsync(page, "/");
        await Expect(page.Locator(".app-shell")).ToHaveAttributeAsync("data-theme", "light");

        await page.Locator("[data-action=toggle-theme]").ClickAsync();

        await Expect(page.Locator(".app-shell")).ToHaveAttributeAsync("data-theme", "dark");
        await Pages.WaitInteractiveAsync(page);
        await Expect(page.Locator("[data-action=toggle-theme]")).ToHaveAttributeAsync("aria-label", "Switch to light theme");
        await page.ReloadAsync();
        await Expect(page.Locator(".app-shell")).ToHaveAttributeAsync("data-theme", "dark");
    }

    [Fact]
    public async Task Browse_from_an_interactive_page_loads_the_live_market_and_a_card_leads_back_to_a_live_page()
    {
        var page = await _session.NewPageAsync();
        var newest = _oldestFirst[^1];
        await Pages.GoToInteractiveAsync(page, $"/tickets/{newest.Id}");
        await Expect(page.Locator($".detail-grid[data-ticket-id='{newest.Id}']")).ToBeVisibleAsync();

        await page.Locator(".appbar-nav [data-nav=browse]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/$"));
        await Expect(page.Locator(".ticket-grid[data-state=loaded] [data-ticket-id]")).ToHaveCountAsync(24);
        await Pages.WaitInteractiveAsync(page);

        var someone = await SignUpAsync();
        var title = $"Listed after browsing {Guid.NewGuid():N}"[..34];
        (await someone.PostAsJsonAsync("/api/tickets", new { title, price = 20m })).EnsureSuccessStatusCode();
        await Expect(page.Locator(".ticket-grid [data-ticket-id]").First).ToContainTextAsync(title);

        await page.Locator($".ticket-grid [data-ticket-id='{newest.Id}']").ClickAsync();
        var detail = page.Locator($".detail-grid[data-ticket-id='{newest.Id}']");
        await Expect(detail).ToHaveAttributeAsync("data-status", "available");
        await Pages.WaitInteractiveAsync(page);
        (await someone.PostAsJsonAsync("/api/orders", new { ticketId = newest.Id })).EnsureSuccessStatusCode();
        await Expect(detail).ToHaveAttributeAsync("data-status", "reserved");
    }

    [Fact]
    public async Task Signed_in_on_a_phone_the_home_page_has_the_account_menu_of_every_page_on_one_line()
    {
        var page = await _session.NewPageAsync(width: 390, height: 844);
        await Pages.RegisterAsync(page);
        await Pages.GoToInteractiveAsync(page, "/orders");
        var liveBar = await page.Locator(".app-bar").BoundingBoxAsync();

        await Pages.GoToInteractiveAsync(page, "/");
        await Expect(page.Locator(".ticket-grid[data-state=loaded] [data-ticket-id]")).ToHaveCountAsync(24);

        Assert.Equal(liveBar!.Height, (await page.Locator(".app-bar").BoundingBoxAsync())!.Height);
        Assert.Empty(await WrappedInTheBarAsync(page));
        await Expect(page.Locator("[data-action=sign-out]")).ToBeHiddenAsync();
        await page.Locator(".appbar-user__button").ClickAsync();
        await Expect(page.Locator("[data-action=sign-out]")).ToBeVisibleAsync();
        await page.Locator("[data-nav=account]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/account/manage$"));
    }

    /// <summary>The app bar's text buttons taller than one line of text, by their labels.</summary>
    private static Task<string[]> WrappedInTheBarAsync(IPage page) =>
        page.EvaluateAsync<string[]>(
            """
            () => [...document.querySelectorAll('.app-bar .mud-button-root:not(.mud-icon-button), .app-bar a')]
                .filter(e => e.getClientRects().length > 0 && !e.closest('.static-menu__panel'))
                .filter(e => e.getBoundingClientRect().height > 40)
                .map(e => `${e.textContent.trim()} (${Math.round(e.getBoundingClientRect().height)} px)`)
            """);

    private async Task<HttpClient> SignUpAsync()
    {
        var client = _session.App.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = _session.App.BaseAddress, HandleCookies = true });
        (await client.PostAsJsonAsync("/api/users/signup", new { email = $"user-{Guid.NewGuid():N}@example.com", password = Pages.Password })).EnsureSuccessStatusCode();
        return client;
    }
}
