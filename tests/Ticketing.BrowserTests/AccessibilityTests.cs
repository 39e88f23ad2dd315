using Microsoft.Playwright;
using Ticketing.BrowserTests.Support;
using Ticketing.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

/// <summary>
/// Every routable page, scanned by axe-core against WCAG 2.2 A/AA and axe's best practices, in the
/// light and the dark theme, on a desktop and on a phone. One browser context per theme and width
/// visits every page in turn (signed out, then as the admin, who also sells and buys), so that the
/// four runs cost four sign-ins rather than one per page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture browser, AccessibleMarket market, ITestOutputHelper output) : IClassFixture<AccessibleMarket>
{
    /// <summary>
    /// A page to scan, ready once <paramref name="Ready"/> shows; with <paramref name="Opens"/>, scanned
    /// with the dialog that a click on it opens, once <paramref name="Dialog"/> shows in it.
    /// </summary>
    private sealed record PageToScan(string Name, string Path, string Ready, string? Opens = null, string? Dialog = null);

    public static TheoryData<string, int, int> ThemesAndWidths => new()
    {
        { "light", 1280, 800 },
        { "dark", 1280, 800 },
        { "light", 390, 844 },
        { "dark", 390, 844 },
    };

    [Theory]
    [MemberData(nameof(ThemesAndWidths))]
    public async Task Every_page_has_no_axe_violations(string theme, int width, int height)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = market.App.BaseAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        try
        {
            context.SetDefaultTimeout(20_000);
            await context.AddCookiesAsync([new Cookie { Name = "ticketing.theme", Value = theme, Url = market.App.BaseAddress.ToString() }]);
            var page = await context.NewPageAsync();
            var checks = new List<AxeCheck>();
            var wide = new List<string>();

            foreach (var target in SignedOutPages())
            {
                checks.Add(await ScanAsync(page, target, theme, width));
                await NoteIfWiderThanTheScreenAsync(page, target, wide);
            }

            await Pages.SignInAsync(page, TicketingApp.AdminEmail, TicketingApp.AdminPassword);
            foreach (var target in AdminPages())
            {
                checks.Add(await ScanAsync(page, target, theme, width));
                await NoteIfWiderThanTheScreenAsync(page, target, wide);
            }

            foreach (var check in checks)
            {
                output.WriteLine(check.Summary());
            }

            var failed = checks.Where(c => !c.Clean).ToList();
            Assert.True(failed.Count == 0, $"{failed.Count} of {checks.Count} pages have axe violations:{Environment.NewLine}{string.Concat(failed.Select(c => c.Violations()))}");

            // WCAG 1.4.10 (reflow): nothing scrolls sideways, on a phone as on a desktop.
            Assert.True(wide.Count == 0, $"pages wider than the {width} px screen:{Environment.NewLine}{string.Join(Environment.NewLine, wide)}");

            // A scan that ran no rules would pass vacuously: every page must have had its contrast and names checked,
            // and every dialog its name.
            Assert.All(checks, c => Assert.Contains(c.Result.Passes, rule => rule.Id == "color-contrast"));
            Assert.All(checks, c => Assert.Contains(c.Result.Passes, rule => rule.Id == "document-title"));
            Assert.All(checks.Where(c => c.Label.Contains("dialog", StringComparison.Ordinal)), c => Assert.Contains(c.Result.Passes, rule => rule.Id == "aria-dialog-name"));
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private IEnumerable<PageToScan> SignedOutPages() =>
    [
        new("home", "/", ".ticket-grid[data-state=loaded]"),
        new("ticket detail (available)", $"/tickets/{market.AvailableListing}", ".detail-grid[data-status=available]"),
        new("ticket detail (reserved)", $"/tickets/{market.ReservedTicket}", ".detail-grid[data-status=reserved]"),
        new("register", "/account/register", "#register-email"),
        new("login", "/account/login", "#login-email"),
        new("login, second step", "/account/login/two-factor", "#two-factor-code"),
        new("login with a recovery code", "/account/login/recovery", ".app-content"),
        new("forgot password", "/account/forgot-password", ".app-content"),
        new("reset password", "/account/reset-password", ".app-content"),
        new("confirm email", "/account/confirm-email", ".app-content"),
        new("access denied", "/account/access-denied", ".app-content"),
        new("account deleted", "/account/deleted", ".app-content"),
        new("not found", "/not-found", ".empty-state"),
        new("unknown address", "/no-such-page", ".empty-state"),
        new("error", "/error", ".empty-state"),
        new("form expired", "/form-expired?returnUrl=%2Faccount%2Flogin", ".empty-state"),
    ];

    private IEnumerable<PageToScan> AdminPages() =>
    [
        new("home, signed in", "/", ".ticket-grid[data-state=loaded]"),
        new("sell", "/tickets/new", "[data-action=save]"),
        new("edit", $"/tickets/{market.AvailableListing}/edit", "[data-action=save]"),
        new("my listings", "/my/listings", ".listing-row[data-ticket-id]"),
        new("my orders", "/orders", "[data-order-id]"),
        new("order (reserved)", $"/orders/{market.ReservedOrder}", "[data-countdown]"),
        new("order (paid)", $"/orders/{market.PaidOrder}", "[data-paid]"),
        new("order (cancelled)", $"/orders/{market.CancelledOrder}", "[data-order-status=cancelled]"),
        new("order (reserved), cancel dialog", $"/orders/{market.ReservedOrder}", "[data-countdown]", "[data-action=cancel-order]", "[data-action=dialog-confirm]"),
        new("scan", "/scan", ".app-content"),
        new("admin dashboard", "/admin", "[data-listing-id]"),
        new("admin dashboard, refund dialog", "/admin", "[data-listing-id]", $"tr:has([data-order-id='{market.PaidOrder}']) [data-action=refund]", "[data-refund-confirm]"),
        new("admin dashboard, withdraw dialog", "/admin", "[data-listing-id]", $"tr:has([data-listing-id='{market.AvailableListing}']) [data-action=withdraw]", "[data-action=dialog-confirm]"),
        new("audit search", "/admin/audit", ".app-content"),
        new("order audit", $"/admin/orders/{market.PaidOrder}/audit", "[data-audit-step]"),
        new("listing audit", $"/admin/listings/{market.AvailableListing}/audit", "[data-audit-step]"),
        new("account", "/account/manage", ".app-content"),
        new("two-factor", "/account/two-factor", ".app-content"),
        new("two-factor set-up", "/account/two-factor/setup", ".app-content"),
        new("delete account", "/account/delete", ".app-content"),
        new("sign out", "/account/logout", "[data-action=sign-out-confirm]"),
    ];

    private static async Task NoteIfWiderThanTheScreenAsync(IPage page, PageToScan target, List<string> wide)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        if (widths[0] > widths[1])
        {
            wide.Add($"{target.Name} ({target.Path}): {widths[0]} px of content in {widths[1]} px");
        }
    }

    private static async Task<AxeCheck> ScanAsync(IPage page, PageToScan target, string theme, int width)
    {
        await page.GotoAsync(target.Path);
        await Expect(page.Locator(target.Ready).First).ToBeVisibleAsync();
        if (!target.Path.StartsWith("/account", StringComparison.Ordinal) && target.Path != "/error")
        {
            await Pages.WaitInteractiveAsync(page);
        }

        // Checked once the page is live: the circuit renders the theme again.
        try
        {
            await Expect(page.Locator(".app-shell")).ToHaveAttributeAsync("data-theme", theme);
        }
        catch (PlaywrightException e)
        {
            Assert.Fail($"{target.Name} ({target.Path}) is not in the {theme} theme the cookie asks for: {e.Message.Split('\n')[0]}");
        }

        if (target.Opens is { } opener)
        {
            await page.Locator(opener).ClickAsync();
            await Expect(page.Locator($".mud-dialog {target.Dialog}")).ToBeVisibleAsync();
        }

        return await AxeCheck.RunAsync(page, $"{theme} {width}px {target.Name} ({target.Path})");
    }
}
