using Microsoft.Playwright;
using Ticketing.BrowserTests.Support;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

/// <summary>
/// WCAG 1.4.10 (reflow): at 320 CSS pixels no page scrolls sideways, even for a new account whose
/// long, unbroken e-mail address the pages show (the confirmation reminder, the account menu).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReflowTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly BrowserSession _session = new(browser, Pages.Settings());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task At_320_pixels_no_page_of_a_new_account_scrolls_sideways()
    {
        var page = await _session.NewPageAsync(width: 320, height: 640);
        var email = await Pages.RegisterAsync(page);
        Assert.True(email.Length > 40, "the address is long enough to overflow a phone's width if it is not wrapped");
        var ticketId = await Pages.SellAsync(page, "A listing with a rather long title for a narrow phone screen", "25.00");

        string[] paths = ["/", $"/tickets/{ticketId}", $"/tickets/{ticketId}/edit", "/tickets/new", "/my/listings", "/orders", "/account/manage", "/account/two-factor", "/account/delete"];
        var wide = new List<string>();
        foreach (var path in paths)
        {
            await page.GotoAsync(path);
            await Expect(page.Locator("main h1")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-state=email-unconfirmed]")).ToBeVisibleAsync();
            var (scroll, client) = await WidthsAsync(page);
            if (scroll > client)
            {
                wide.Add($"{path}: {scroll} px of content in {client} px ({await WidestAsync(page, client)})");
            }
        }

        Assert.True(wide.Count == 0, $"pages wider than the screen:{Environment.NewLine}{string.Join(Environment.NewLine, wide)}");
    }

    private static async Task<(int Scroll, int Client)> WidthsAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        return (widths[0], widths[1]);
    }

    /// <summary>The innermost elements that reach past the right edge, to name in a failure.</summary>
    private static Task<string> WidestAsync(IPage page, int client) =>
        page.EvaluateAsync<string>(
            """
            client => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > client + 1 && ![...e.children].some(c => c.getBoundingClientRect().right > client + 1))
                .slice(0, 3)
                .map(e => `${e.tagName.toLowerCase()}${[...e.classList].map(c => '.' + c).join('')}${[...e.attributes].filter(a => a.name === 'type' || a.name.startsWith('data-')).map(a => `[${a.name}=${a.value}]`).join('')}`)
                .join(', ')
            """,
            client);
}
