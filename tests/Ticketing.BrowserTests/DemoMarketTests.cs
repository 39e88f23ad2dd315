using Microsoft.Playwright;
using Ticketing.BrowserTests.Support;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

/// <summary>
/// The demo market as a first-time visitor sees it: a full home page with live status chips, one
/// listing reserved and one sold. With <c>UPDATE_SCREENSHOTS=1</c> it refreshes the README's picture
/// (docs/images/demo-home.png).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoMarketTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly BrowserSession _session = new(browser, Pages.Settings(("Demo:Seed", "true")));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task Demo_market_fills_the_home_page_with_one_reserved_and_one_sold()
    {
        var page = await _session.NewPageAsync(timezoneId: "Europe/London");

        await Pages.GoToInteractiveAsync(page, "/");

        await Expect(page.Locator(".ticket-grid[data-state=loaded] [data-ticket-id]")).ToHaveCountAsync(24);
        await Expect(page.Locator("[data-result-count]")).ToHaveAttributeAsync("data-result-count", "40");
        await Expect(page.Locator(".ticket-grid [data-ticket-id][data-status=reserved]")).ToHaveCountAsync(1);
        await Expect(page.Locator(".ticket-grid [data-ticket-id][data-status=sold]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-pager]")).ToBeVisibleAsync();

        var folder = Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(RepoPaths.Root, "docs", "images")
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "demo-home.png");
        await page.EvaluateAsync("() => document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = false, Animations = ScreenshotAnimations.Disabled });
        Assert.True(new FileInfo(path).Length > 10_000, $"{path} is a screenshot");
    }
}
