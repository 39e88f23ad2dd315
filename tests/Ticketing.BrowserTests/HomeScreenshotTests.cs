using Microsoft.Playwright;
using Ticketing.BrowserTests.Support;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

/// <summary>The README's home page screenshots, in front of a market of 2,000 listings, some of them held and sold.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HomeScreenshotTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly BigMarket _market = new(browser);

    public Task InitializeAsync() => _market.SeedAsync();

    public async Task DisposeAsync() => await _market.DisposeAsync();

    [Fact]
    public async Task Home_page_with_2000_listings_is_captured_to_docs_screenshots()
    {
        Directory.CreateDirectory(RepoPaths.Screenshots);
        var saved = new List<string>();

        var desktop = await _market.Session.NewPageAsync();
        await Pages.GoToInteractiveAsync(desktop, "/");
        await ExpectLoadedAsync(desktop);
        saved.Add(await ScreenshotTests.CaptureAsync(desktop, "home"));

        var phone = await _market.Session.NewPageAsync(width: 390, height: 844);
        await Pages.GoToInteractiveAsync(phone, "/");
        await ExpectLoadedAsync(phone);
        saved.Add(await ScreenshotTests.CaptureAsync(phone, "home-phone"));

        Assert.All(saved, file => Assert.True(new FileInfo(file).Length > 10_000, $"{file} is a screenshot"));
    }

    private static async Task ExpectLoadedAsync(IPage page)
    {
        await Expect(page.Locator(".ticket-grid[data-state=loaded] [data-ticket-id]")).ToHaveCountAsync(24);
        await Expect(page.Locator(".ticket-grid [data-status=reserved]").First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-pager]")).ToBeVisibleAsync();
    }
}
