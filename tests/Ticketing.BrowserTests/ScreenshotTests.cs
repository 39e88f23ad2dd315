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

    [Fact]
    public async Task Order_page_in_Stripe_mode_is_captured_to_docs_screenshots()
    {
        Directory.CreateDirectory(RepoPaths.Screenshots);
        await using var stripe = await StripeBrowserSession.StartAsync(browser);

        // Stripe's card form (the stand-in the tests serve for it), a card typed in. The viewport
        // holds the whole page: Chromium does not paint a cross-origin frame scrolled out of view.
        var (buyer, _) = await stripe.ReservedOrderAsync("Radiohead — Floor standing, Friday", "89.00", height: 1200);
        await StripeBrowserSession.TypeCardAsync(buyer, StripeTestCards.Visa);
        var form = await CaptureAsync(buyer, "order-stripe");

        // 3-D Secure, the buyer having closed the tab at the bank's page and come back to the order.
        var (paying, orderId) = await stripe.ReservedOrderAsync("Arctic Monkeys — Seated, block C", "64.50", height: 1200);
        await StripeBrowserSession.TypeCardAsync(paying, StripeTestCards.ThreeDSecure);
        await StripeBrowserSession.PressPayAsync(paying);
        await Expect(StripeBrowserSession.Bank(paying).Locator("#test-source-authorize-3ds")).ToBeVisibleAsync();
        var context = paying.Context;
        await paying.CloseAsync();
        var back = await context.NewPageAsync();
        await Pages.GoToInteractiveAsync(back, $"/orders/{orderId}");
        await StripeBrowserSession.ExpectWaitingForBankAsync(back, "If you closed its window, continue below");
        await Expect(back.Locator("button[data-action=continue-with-bank]")).ToBeEnabledAsync();
        var bank = await CaptureAsync(back, "order-waiting-for-bank");

        foreach (var file in new[] { form, bank })
        {
            var info = new FileInfo(file);
            Assert.True(info.Exists, $"{file} was not written");
            Assert.True(info.Length > 10_000, $"{file} is only {info.Length} bytes");
        }
    }

    internal static async Task<string> CaptureAsync(IPage page, string name)
    {
        // Let transitions (snackbars, ripples) settle: wait for the fonts and two animation frames, not a fixed sleep.
        // From the top, so that the fixed app bar is drawn where it belongs on a full-page capture.
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.EvaluateAsync("() => document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))");
        var path = Path.Combine(RepoPaths.Screenshots, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        return path;
    }
}
