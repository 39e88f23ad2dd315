using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Ticketing.BrowserTests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

/// <summary>
/// A buyer who uses only the keyboard signs in, browses, purchases and pays with the built-in test
/// gateway: Tab, Shift+Tab, Enter, Space and the arrow keys, never the mouse. Every stop the Tab key
/// makes shows where focus is: an outline drawn by the control, or by the button around a hidden input.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class KeyboardJourneyTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private const int MaxTabs = 80;

    private readonly BrowserSession _session = new(browser, Pages.Settings());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task Buyer_browses_purchases_and_pays_with_the_keyboard_alone_and_always_sees_focus()
    {
        var title = $"Keyboard gig {Guid.NewGuid():N}"[..22];
        var ticketId = await ListAsync(title);
        var email = $"keys-{Guid.NewGuid():N}@example.com";
        using (var signup = Client())
        {
            (await signup.PostAsJsonAsync("/api/users/signup", new { email, password = Pages.Password })).EnsureSuccessStatusCode();
        }

        var page = await _session.NewPageAsync();

        // Sign in: the form's fields and its button, reached by Tab.
        await page.GotoAsync("/account/login");
        await TabToAsync(page, "#login-email");
        await page.Keyboard.TypeAsync(email);
        await TabToAsync(page, "#login-password");
        await page.Keyboard.TypeAsync(Pages.Password);
        await TabToAsync(page, "[data-action=submit-login]");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("[data-user-email]").First).ToBeAttachedAsync();

        // Browse: the market's search box filters by the title typed; the card opens with Enter.
        await Pages.GoToInteractiveAsync(page, "/");
        await TabToAsync(page, "[data-filter=search]");
        await page.Keyboard.TypeAsync(title, new() { Delay = 80 });
        await Expect(page).ToHaveURLAsync(new Regex(@"[?&]q="));
        await Expect(page.Locator("[data-filter=search]")).ToHaveValueAsync(title);
        await Expect(page.Locator(".ticket-grid[data-state=loaded] [data-ticket-id]")).ToHaveCountAsync(1);
        await TabToAsync(page, $"a[data-ticket-id='{ticketId}']");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex($"/tickets/{ticketId}$"));

        // The address changes before the new page replaces the old one: wait for the ticket itself.
        await Expect(page.Locator($".detail-grid[data-ticket-id='{ticketId}']")).ToBeVisibleAsync();
        await Pages.WaitInteractiveAsync(page);

        // Purchase, then back with Shift+Tab to the test cards: arrow keys move between them.
        await TabToAsync(page, "[data-action=purchase]");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex(@"/orders/[0-9a-f-]{36}$"));
        var order = page.Locator("[data-order-id][data-order-status]").First;
        await Expect(order).ToHaveAttributeAsync("data-order-status", "created");
        await Pages.WaitInteractiveAsync(page);

        await TabToAsync(page, "[data-action=pay]");
        await TabToAsync(page, "input[type=radio]", backwards: true);
        var visa = page.Locator("input[data-test-card=visa]");
        var declined = page.Locator("input[data-test-card=declined]");
        await Expect(visa).ToBeCheckedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(declined).ToBeCheckedAsync();
        await AssertFocusVisibleAsync(page, "the declined test card");
        await page.Keyboard.PressAsync("ArrowUp");
        await Expect(visa).ToBeCheckedAsync();
        await AssertFocusVisibleAsync(page, "the Visa test card");

        // Pay with Space on the focused button; the page says paid, and the live region says so.
        await TabToAsync(page, "[data-action=pay]");
        await page.Keyboard.PressAsync("Space");
        await Expect(order).ToHaveAttributeAsync("data-order-status", "complete");
        await Expect(page.Locator("[data-paid]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-live-region]")).ToHaveTextAsync("Order: Paid");

        // The pay button went with the payment form: focus moved to what the order came to, not
        // back to the top of the page.
        await Expect(page.Locator("[data-order-outcome]")).ToBeFocusedAsync();
        await AssertFocusVisibleAsync(page, "the paid order");

        // The account menu, in the app bar behind, opens with Enter and offers sign-out.
        await TabToAsync(page, ".appbar-user .mud-menu-activator", backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".menu-signout")).ToBeVisibleAsync();
    }

    /// <summary>Presses Tab (or Shift+Tab) until focus is on <paramref name="selector"/>, checking that every stop on the way shows its focus.</summary>
    private async Task TabToAsync(IPage page, string selector, bool backwards = false)
    {
        var stops = new List<string>();
        for (var presses = 1; presses <= MaxTabs; presses++)
        {
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            stops.Add(await page.EvaluateAsync<string>("() => (document.activeElement?.outerHTML ?? 'nothing').slice(0, 120)"));
            var stop = await AssertFocusVisibleAsync(page, $"Tab stop {presses} on the way to {selector} (after {string.Join(" → ", stops.SkipLast(1))})");
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) ?? false", selector))
            {
                output.WriteLine($"{selector}: reached after {presses} × {(backwards ? "Shift+Tab" : "Tab")} (focus drawn as {stop})");
                return;
            }
        }

        Assert.Fail($"{selector} was not reached within {MaxTabs} presses of {(backwards ? "Shift+Tab" : "Tab")}.");
    }

    /// <summary>
    /// The focused element, or the control it is part of (a radio's round button around its hidden
    /// input), draws an outline. Returns how, for the test output.
    /// </summary>
    private static async Task<string> AssertFocusVisibleAsync(IPage page, string where)
    {
        var indicator = await page.EvaluateAsync<string?>(FocusIndicatorScript);
        Assert.False(indicator is null, $"{where}: the focused element shows no focus ({await page.EvaluateAsync<string>("() => document.activeElement?.outerHTML.slice(0, 200) ?? 'nothing'")})");
        Assert.False(indicator == "body", $"{where}: focus fell back to the page body.");
        return indicator!;
    }

    private const string FocusIndicatorScript = """
        () => {
            const focused = document.activeElement;
            if (!focused || focused === document.body) return 'body';
            for (let el = focused, depth = 0; el && depth < 3; el = el.parentElement, depth++) {
                const style = getComputedStyle(el);
                const rect = el.getBoundingClientRect();
                if (rect.width < 2 || rect.height < 2 || style.opacity === '0' || style.visibility === 'hidden') continue;
                // An outline only: many controls carry a box shadow whether focused or not.
                if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1) {
                    return `${el.tagName.toLowerCase()} outline ${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}`;
                }
            }
            return null;
        }
        """;

    private HttpClient Client() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = _session.App.BaseAddress };

    private async Task<Guid> ListAsync(string title)
    {
        using var seller = Client();
        (await seller.PostAsJsonAsync("/api/users/signup", new { email = $"seller-{Guid.NewGuid():N}@example.com", password = Pages.Password })).EnsureSuccessStatusCode();
        var response = await seller.PostAsJsonAsync("/api/tickets", new { title, price = 25m, venue = "Koko, Camden" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IdDto>())!.Id;
    }

    private sealed record IdDto(Guid Id);
}
