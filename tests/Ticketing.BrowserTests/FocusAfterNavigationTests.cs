using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Ticketing.BrowserTests.Support;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

/// <summary>
/// After a link opens another page, keyboard focus (and with it a screen reader) starts on the new
/// page's heading, not on the link that is gone or at the top of the document: whether the pages on
/// either side are live (interactive) or plain (static, patched in by enhanced navigation).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FocusAfterNavigationTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly BrowserSession _session = new(browser, Pages.Settings());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task Following_a_link_puts_focus_on_the_new_page_s_heading()
    {
        var title = $"Focus gig {Guid.NewGuid():N}"[..20];
        var ticketId = await ListAsync(title);
        var page = await _session.NewPageAsync();

        // Plain to plain: the sign-in page's link to the password reset.
        await page.GotoAsync("/account/login");
        await page.Locator("[data-action=go-forgot-password]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/account/forgot-password$"));
        await ExpectHeadingFocusedAsync(page, "from the sign-in page to the password reset");

        // Plain to live: the market (live only in parts) to a listing.
        await Pages.RegisterAsync(page);
        await Pages.GoToInteractiveAsync(page, $"/?q={Uri.EscapeDataString(title)}");
        await page.Locator($"a[data-ticket-id='{ticketId}']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/tickets/{ticketId}$"));
        await ExpectHeadingFocusedAsync(page, "from the market to a listing");

        // Live to live: the app bar's section links.
        await Pages.WaitInteractiveAsync(page);
        await page.Locator(".appbar-nav [data-nav=orders]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/orders$"));
        await ExpectHeadingFocusedAsync(page, "from a listing to my orders");
        await page.Locator(".appbar-nav [data-nav=listings]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/my/listings$"));
        await ExpectHeadingFocusedAsync(page, "from my orders to my listings");

        // Live to plain: the account page from the account menu, and back to a live page.
        await page.Locator(".appbar-user__button").ClickAsync();
        await page.Locator("[data-nav=account]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/account/manage$"));
        await ExpectHeadingFocusedAsync(page, "from my listings to the account page");
        await page.Locator(".appbar-nav [data-nav=sell]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/tickets/new$"));
        await ExpectHeadingFocusedAsync(page, "from the account page to the sell page");
    }

    /// <summary>The page's one h1 has focus, without an outline a mouse user would not expect.</summary>
    private static async Task ExpectHeadingFocusedAsync(IPage page, string step)
    {
        var heading = page.Locator("main h1");
        await Expect(heading).ToHaveCountAsync(1);
        try
        {
            await Expect(heading).ToBeFocusedAsync(new() { Timeout = 10_000 });
        }
        catch (PlaywrightException)
        {
            var focused = await page.EvaluateAsync<string>("() => { const e = document.activeElement; return e ? `${e.tagName} ${e.className} ${(e.textContent || '').trim().slice(0, 40)}` : 'nothing'; }");
            Assert.Fail($"{step}: focus is on {focused}, not on the heading \"{await heading.InnerTextAsync()}\"");
        }
    }

    private async Task<Guid> ListAsync(string title)
    {
        using var seller = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = _session.App.BaseAddress };
        (await seller.PostAsJsonAsync("/api/users/signup", new { email = $"focus-seller-{Guid.NewGuid():N}@example.com", password = Pages.Password })).EnsureSuccessStatusCode();
        var response = await seller.PostAsJsonAsync("/api/tickets", new { title, price = 30 });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IdDto>())!.Id;
    }

    private sealed record IdDto(Guid Id);
}
