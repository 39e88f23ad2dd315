using Microsoft.Playwright;
using Ticketing.BrowserTests.Support;
using Ticketing.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

/// <summary>
/// Saves the README's screenshots of the main pages, each taken once the page is live and loaded
/// (the home page's, in front of a big market, by <see cref="HomeScreenshotTests"/>).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScreenshotTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly BrowserSession _session = new(browser, Pages.Settings());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task Main_pages_are_captured_to_docs_screenshots()
    {
        Directory.CreateDirectory(RepoPaths.Screenshots);
        var saved = new List<string>();

        // A small market: three listings from one seller, one of them reserved by a buyer.
        var seller = await _session.NewPageAsync();
        await Pages.RegisterAsync(seller);
        var reservedId = await Pages.SellAsync(seller, "Radiohead — Floor standing, Friday", "89.00");
        var availableId = await Pages.SellAsync(seller, "Arctic Monkeys — Seated, block C", "64.50");
        await Pages.SellAsync(seller, "Jazz night at the Barbican", "35.00");

        var buyer = await _session.NewPageAsync();
        await Pages.RegisterAsync(buyer);
        await Pages.PurchaseAsync(buyer, reservedId);
        await Pages.WaitInteractiveAsync(buyer);
        await Expect(buyer.Locator("[data-countdown]").First).ToContainTextAsync("left");
        saved.Add(await CaptureAsync(buyer, "order"));

        await Pages.GoToInteractiveAsync(buyer, $"/tickets/{availableId}");
        await Expect(buyer.Locator("[data-action=purchase]")).ToBeEnabledAsync();
        saved.Add(await CaptureAsync(buyer, "ticket-detail"));

        await Pages.GoToInteractiveAsync(seller, "/tickets/new");
        saved.Add(await CaptureAsync(seller, "sell"));

        await Pages.GoToInteractiveAsync(seller, "/my/listings");
        await Expect(seller.Locator(".listing-row[data-ticket-id]")).ToHaveCountAsync(3);
        saved.Add(await CaptureAsync(seller, "my-listings"));

        var admin = await _session.NewPageAsync();
        await Pages.SignInAsync(admin, TicketingApp.AdminEmail, TicketingApp.AdminPassword);
        await Pages.GoToInteractiveAsync(admin, "/admin");
        await Expect(admin.Locator("[data-listing-id]")).ToHaveCountAsync(3);
        await Expect(admin.Locator("[data-figure=listed]")).ToHaveTextAsync("3");
        saved.Add(await CaptureAsync(admin, "admin"));

        foreach (var file in saved)
        {
            var info = new FileInfo(file);
            Assert.True(info.Exists, $"{file} was not written");
            Assert.True(info.Length > 10_000, $"{file} is only {info.Length} bytes");
        }

        Assert.Equal(5, saved.Count);
    }

    internal static async Task<string> CaptureAsync(IPage page, string name)
    {
        // Let transitions (snackbars, ripples) settle: wait for the fonts and two animation frames, not a fixed sleep.
        await page.EvaluateAsync("() => document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))");
        var path = Path.Combine(RepoPaths.Screenshots, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        return path;
    }
}
