using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Ticketing.BrowserTests.Support;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

/// <summary>
/// A tab's circuit keeps the user it connected with and never reads the cookie again. Signing out in
/// one tab signs the browser's other open tabs out at once: a page that needs sign-in goes to the
/// sign-in page, a public page shows the signed-out account menu. A new password does the same to
/// every tab of the account, in every browser. Revalidation is left at its default (120 s), so it is
/// not what signs these tabs out.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OtherTabsSignOutTests(BrowserFixture browser) : IAsyncLifetime
{
    /// <summary>"At once", with room for two busy cores; revalidation would take 120 s.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions Soon = new() { Timeout = 8_000 };

    private static readonly Regex SignInPage = new("/account/login");

    private readonly BrowserSession _session = new(browser, Pages.Settings());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task Signing_out_in_one_tab_signs_the_other_tabs_out_at_once()
    {
        var ticketTab = await _session.NewPageAsync();
        await Pages.RegisterAsync(ticketTab);
        var ticketId = await Pages.SellAsync(ticketTab, "Other tabs sign out", "30");
        await Expect(ticketTab.Locator("[data-state=own-listing]")).ToBeVisibleAsync();

        var ordersTab = await ticketTab.Context.NewPageAsync();
        await Pages.GoToInteractiveAsync(ordersTab, "/orders");
        var homeTab = await ticketTab.Context.NewPageAsync();
        await Pages.GoToInteractiveAsync(homeTab, "/");
        await Expect(homeTab.Locator("[data-user-email]").First).ToBeAttachedAsync();

        await Pages.SignOutAsync(await ticketTab.Context.NewPageAsync());

        await Expect(ordersTab).ToHaveURLAsync(SignInPage, new() { Timeout = Soon.Timeout });
        await Expect(ordersTab.Locator("[data-action=sign-in]").First).ToBeVisibleAsync(Soon);
        await Expect(homeTab.Locator("[data-action=sign-in]").First).ToBeVisibleAsync(Soon);
        await Expect(homeTab.Locator("[data-user-email]")).ToHaveCountAsync(0);

        // A public interactive page stays where it is, signed out: no longer the seller's own listing.
        await Expect(ticketTab.Locator("[data-action=sign-in]").First).ToBeVisibleAsync(Soon);
        await Expect(ticketTab.Locator("[data-action=sign-in-to-buy]")).ToBeVisibleAsync(Soon);
        await Expect(ticketTab.Locator("[data-state=own-listing]")).ToHaveCountAsync(0);
        await Expect(ticketTab).ToHaveURLAsync(new Regex($"/tickets/{ticketId}$"));
    }

    [Fact]
    public async Task Signing_out_leaves_the_same_user_signed_in_in_another_browser()
    {
        var ordersTab = await _session.NewPageAsync();
        var email = await Pages.RegisterAsync(ordersTab);
        await Pages.GoToInteractiveAsync(ordersTab, "/orders");

        var otherBrowser = await _session.NewPageAsync();
        await Pages.SignInAsync(otherBrowser, email, Pages.Password);
        await Pages.GoToInteractiveAsync(otherBrowser, "/orders");
        await Pages.MarkWindowAsync(otherBrowser);

        await Pages.SignOutAsync(await ordersTab.Context.NewPageAsync());
        await Expect(ordersTab).ToHaveURLAsync(SignInPage, new() { Timeout = Soon.Timeout });

        // The other browser's circuit still runs as the user: it stays, and goes to a signed-in page in place.
        await Expect(otherBrowser.Locator("[data-user-email]").First).ToBeAttachedAsync();
        await otherBrowser.Locator(".appbar-nav [data-nav=listings]").ClickAsync();
        await Expect(otherBrowser).ToHaveURLAsync(new Regex("/my/listings$"));
        await Expect(otherBrowser.Locator("[data-user-email]").First).ToBeAttachedAsync();
        await Expect(otherBrowser.Locator("h1")).ToBeVisibleAsync();
        await Pages.AssertNotReloadedAsync(otherBrowser);
    }

    /// <summary>
    /// On a shared computer someone else signs in over the first account: the first account's open
    /// tabs stop showing it at once and come back as the new account, as the cookie they now carry says.
    /// </summary>
    [Fact]
    public async Task Someone_else_signing_in_in_another_tab_takes_over_the_open_tabs_at_once()
    {
        var elsewhere = await _session.NewPageAsync();
        var secondEmail = await Pages.RegisterAsync(elsewhere);

        var ordersTab = await _session.NewPageAsync();
        var firstEmail = await Pages.RegisterAsync(ordersTab);
        await Pages.GoToInteractiveAsync(ordersTab, "/orders");
        var homeTab = await ordersTab.Context.NewPageAsync();
        await Pages.GoToInteractiveAsync(homeTab, "/");
        await Expect(homeTab.Locator($"[data-user-email='{firstEmail}']").First).ToBeAttachedAsync();

        await Pages.SignInAsync(await ordersTab.Context.NewPageAsync(), secondEmail, Pages.Password);

        await Expect(ordersTab.Locator($"[data-user-email='{secondEmail}']").First).ToBeAttachedAsync(new() { Timeout = Soon.Timeout });
        await Expect(homeTab.Locator($"[data-user-email='{secondEmail}']").First).ToBeAttachedAsync(new() { Timeout = Soon.Timeout });
        await Expect(ordersTab.Locator($"[data-user-email='{firstEmail}']")).ToHaveCountAsync(0);
        await Expect(homeTab.Locator($"[data-user-email='{firstEmail}']")).ToHaveCountAsync(0);
    }

    /// <summary>
    /// The browser that set the new password holds the cookie issued with it: its other tabs, whose
    /// circuits still run with the old sign-in, come back signed in where they were, not on the
    /// sign-in page.
    /// </summary>
    [Fact]
    public async Task A_new_password_keeps_the_same_browsers_other_tabs_signed_in_where_they_were()
    {
        var ordersTab = await _session.NewPageAsync();
        var email = await Pages.RegisterAsync(ordersTab);
        await Pages.GoToInteractiveAsync(ordersTab, "/orders");
        var homeTab = await ordersTab.Context.NewPageAsync();
        await Pages.GoToInteractiveAsync(homeTab, "/");
        await Expect(homeTab.Locator($"[data-user-email='{email}']").First).ToBeAttachedAsync();

        var manageTab = await ordersTab.Context.NewPageAsync();
        await Pages.ChangePasswordAsync(manageTab, Pages.Password, "a-brand-new-passphrase");
        await Expect(manageTab.Locator($"[data-user-email='{email}']").First).ToBeAttachedAsync();

        // Give the old sign-in's end time to reach the other tabs, then look where they are.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await Pages.WaitInteractiveAsync(ordersTab);
        await Expect(ordersTab).ToHaveURLAsync(new Regex("/orders$"));
        await Expect(ordersTab.Locator($"[data-user-email='{email}']").First).ToBeAttachedAsync();
        await Expect(homeTab).ToHaveURLAsync(new Regex("/$"));
        await Expect(homeTab.Locator($"[data-user-email='{email}']").First).ToBeAttachedAsync();
        await Expect(homeTab.Locator("[data-action=sign-in]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_new_password_signs_out_the_accounts_tabs_in_another_browser_at_once()
    {
        var ordersTab = await _session.NewPageAsync();
        var email = await Pages.RegisterAsync(ordersTab);
        await Pages.GoToInteractiveAsync(ordersTab, "/orders");
        var homeTab = await ordersTab.Context.NewPageAsync();
        await Pages.GoToInteractiveAsync(homeTab, "/");

        var otherBrowser = await _session.NewPageAsync();
        await Pages.SignInAsync(otherBrowser, email, Pages.Password);
        await Pages.ChangePasswordAsync(otherBrowser, Pages.Password, "a-brand-new-passphrase");

        // The first browser still holds its cookie, with the old stamp: the sign-in page it lands on
        // refuses it rather than greeting the user as signed in.
        await Expect(ordersTab).ToHaveURLAsync(SignInPage, new() { Timeout = Soon.Timeout });
        await Expect(ordersTab.Locator("[data-action=sign-in]").First).ToBeVisibleAsync(Soon);
        await Expect(ordersTab.Locator("[data-user-email]")).ToHaveCountAsync(0);
        await Expect(homeTab.Locator("[data-action=sign-in]").First).ToBeVisibleAsync(Soon);
        await Expect(homeTab.Locator("[data-user-email]")).ToHaveCountAsync(0);
    }
}
