using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Ticketing.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests.Support;

/// <summary>Steps a user takes in the browser, written against the UI's test hooks.</summary>
public static class Pages
{
    public const string Password = "correct-horse-battery";

    public static Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["RateLimiting:AuthPermitLimit"] = "1000",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Opens a page and waits until its Blazor circuit runs, so that buttons work.</summary>
    public static async Task GoToInteractiveAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitInteractiveAsync(page);
    }

    public static Task WaitInteractiveAsync(IPage page) =>
        Expect(page.Locator(".app-shell[data-interactive=true]")).ToBeVisibleAsync();

    /// <summary>Signs up through the register page (a static form) and returns the email.</summary>
    public static async Task<string> RegisterAsync(IPage page)
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        await page.GotoAsync("/account/register");
        await page.Locator("#register-email").FillAsync(email);
        await page.Locator("#register-password").FillAsync(Password);
        await page.Locator("#register-confirm").FillAsync(Password);
        await page.Locator("[data-action=submit-register]").ClickAsync();
        await Expect(page).Not.ToHaveURLAsync(new Regex("/account/register"));
        await Expect(page.Locator("[data-user-email]").First).ToBeAttachedAsync();
        return email;
    }

    /// <summary>Signs in through the login page (a static form).</summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.Locator("#login-email").FillAsync(email);
        await page.Locator("#login-password").FillAsync(password);
        await page.Locator("[data-action=submit-login]").ClickAsync();
        await Expect(page).Not.ToHaveURLAsync(new Regex("/account/login"));
        await Expect(page.Locator("[data-user-email]").First).ToBeAttachedAsync();
    }

    /// <summary>Signs out through the sign-out page and waits until the header offers to sign in again.</summary>
    public static async Task SignOutAsync(IPage page)
    {
        await page.GotoAsync("/account/logout");
        await page.Locator("[data-action=sign-out-confirm]").ClickAsync();
        await Expect(page.Locator("[data-action=sign-in]").First).ToBeVisibleAsync();
    }

    /// <summary>Sets a new password on the account page (a static form) and waits until the page is back, still signed in.</summary>
    public static async Task ChangePasswordAsync(IPage page, string current, string next)
    {
        await page.GotoAsync("/account/manage");
        await page.Locator("#current-password").FillAsync(current);
        await page.Locator("#new-password").FillAsync(next);
        await page.Locator("#confirm-password").FillAsync(next);
        await page.Locator("[data-action=change-password]").ClickAsync();
        await Expect(page.GetByText("Your password has been changed.")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-user-email]").First).ToBeAttachedAsync();
    }

    /// <summary>Lists a ticket through the sell page and returns its id, read from the detail page it lands on.</summary>
    public static async Task<Guid> SellAsync(IPage page, string title, string price)
    {
        await GoToInteractiveAsync(page, "/tickets/new");
        await page.Locator("input[data-field=title], [data-field=title] input").First.FillAsync(title);
        await page.Locator("input[data-field=price], [data-field=price] input").First.FillAsync(price);
        await page.Locator("[data-action=save]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/tickets/[0-9a-f-]{36}$"));
        var detail = page.Locator(".detail-grid[data-ticket-id]");
        await Expect(detail).ToHaveAttributeAsync("data-status", "available");
        return Guid.Parse((await detail.GetAttributeAsync("data-ticket-id"))!);
    }

    /// <summary>Purchases a ticket from its detail page and returns the order id from the order page it lands on.</summary>
    public static async Task<Guid> PurchaseAsync(IPage page, Guid ticketId)
    {
        await GoToInteractiveAsync(page, $"/tickets/{ticketId}");
        var purchase = page.Locator("[data-action=purchase]");
        await Expect(purchase).ToBeEnabledAsync();
        await purchase.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/orders/[0-9a-f-]{36}$"));
        var order = page.Locator("[data-order-id][data-order-status]").First;
        await Expect(order).ToHaveAttributeAsync("data-order-status", "created");
        return Guid.Parse((await order.GetAttributeAsync("data-order-id"))!);
    }

    /// <summary>Sets a marker on the window: it survives only as long as the page is not reloaded.</summary>
    public static Task MarkWindowAsync(IPage page) => page.EvaluateAsync("() => { window.__noReload = 'still-here'; }");

    public static async Task AssertNotReloadedAsync(IPage page) =>
        Assert.Equal("still-here", await page.EvaluateAsync<string?>("() => window.__noReload ?? null"));
}
