using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Ticketing.BrowserTests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

/// <summary>
/// The menus of a statically rendered page (the account menu; on a phone, the navigation) are
/// <c>&lt;details&gt;</c> disclosures that work without a circuit. Once open, they close as every
/// menu does: on a click elsewhere on the page, and on Escape, which puts focus back on the toggle.
/// A click inside leaves them open.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StaticAccountMenuTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private const string AccountMenu = "details.static-account-menu";

    private readonly BrowserSession _session = new(browser, Pages.Settings());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Theory]
    [InlineData("/account/manage")]
    [InlineData("/")]
    public async Task Account_menu_closes_on_a_click_elsewhere_and_stays_open_on_a_click_inside(string path)
    {
        var page = await SignedInOnAsync(path);
        var menu = page.Locator(AccountMenu);

        await menu.Locator("summary").ClickAsync();
        await ExpectOpenAsync(menu);

        await menu.Locator(".menu-caption").ClickAsync();
        await ExpectOpenAsync(menu);

        await ClickElsewhereAsync(page);
        await ExpectClosedAsync(menu);

        // The toggle still toggles: opened again, and closed by itself.
        await menu.Locator("summary").ClickAsync();
        await ExpectOpenAsync(menu);
        await menu.Locator("summary").ClickAsync();
        await ExpectClosedAsync(menu);
    }

    [Theory]
    [InlineData("/account/manage")]
    [InlineData("/")]
    public async Task Account_menu_closes_on_Escape_and_gives_focus_back_to_its_toggle(string path)
    {
        var page = await SignedInOnAsync(path);
        var menu = page.Locator(AccountMenu);
        var toggle = menu.Locator("summary");

        // By keyboard: Enter on the toggle opens it, Tab goes into it, Escape closes it from there.
        await toggle.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await ExpectOpenAsync(menu);
        await page.Keyboard.PressAsync("Tab");
        await Expect(menu.Locator("[data-nav=account]")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await ExpectClosedAsync(menu);
        await Expect(toggle).ToBeFocusedAsync();

        // By mouse, then Escape.
        await toggle.ClickAsync();
        await ExpectOpenAsync(menu);
        await page.Keyboard.PressAsync("Escape");
        await ExpectClosedAsync(menu);
        await Expect(toggle).ToBeFocusedAsync();
    }

    [Fact]
    public async Task Open_account_menu_has_no_axe_violations()
    {
        var page = await SignedInOnAsync("/account/manage");
        var menu = page.Locator(AccountMenu);
        await menu.Locator("summary").ClickAsync();
        await ExpectOpenAsync(menu);

        var check = await AxeCheck.RunAsync(page, "account page with the account menu open");
        output.WriteLine(check.Summary());
        Assert.True(check.Clean, check.Violations());
        Assert.Contains(check.Result.Passes, rule => rule.Id == "color-contrast");
    }

    [Fact]
    public async Task Phone_navigation_menu_closes_on_a_click_elsewhere_and_on_Escape()
    {
        var page = await _session.NewPageAsync(width: 390, height: 844);
        await page.GotoAsync("/account/login");
        var menu = page.Locator("details.static-menu:not(.static-account-menu)");
        var toggle = menu.Locator("summary");

        await toggle.ClickAsync();
        await ExpectOpenAsync(menu);
        await ClickElsewhereAsync(page);
        await ExpectClosedAsync(menu);

        await toggle.ClickAsync();
        await ExpectOpenAsync(menu);
        await page.Keyboard.PressAsync("Escape");
        await ExpectClosedAsync(menu);
        await Expect(toggle).ToBeFocusedAsync();
    }

    private async Task<IPage> SignedInOnAsync(string path)
    {
        var page = await _session.NewPageAsync();
        await Pages.RegisterAsync(page);
        await page.GotoAsync(path);

        // The static layout draws the disclosure; a live one would draw MudBlazor's popover menu.
        await Expect(page.Locator(AccountMenu)).ToBeVisibleAsync();
        return page;
    }

    /// <summary>A click on the page's margin, beside the content, where the open panel never reaches.</summary>
    private static Task ClickElsewhereAsync(IPage page) => page.Mouse.ClickAsync(4, page.ViewportSize!.Height - 4);

    private static async Task ExpectOpenAsync(ILocator menu)
    {
        await Expect(menu).ToHaveAttributeAsync("open", string.Empty);
        await Expect(menu.Locator(".static-menu__panel")).ToBeVisibleAsync();
    }

    private static async Task ExpectClosedAsync(ILocator menu)
    {
        await Expect(menu).Not.ToHaveAttributeAsync("open", new Regex(".*"));
        await Expect(menu.Locator(".static-menu__panel")).Not.ToBeVisibleAsync();
    }
}
