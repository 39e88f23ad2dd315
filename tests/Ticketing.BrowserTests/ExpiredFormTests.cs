using System.Text.RegularExpressions;
using Ticketing.BrowserTests.Support;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

/// <summary>
/// Two tabs of one browser: a sign-in form left open in one while the person signs up in the other.
/// Its token belongs to the signed-out visitor it was made for, so the post is not acted on; the tab
/// shows a page that says so, and its button leads back to the form, which now knows who is signed in.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ExpiredFormTests(BrowserFixture browser) : IAsyncLifetime
{
    private BrowserSession _session = null!;

    public Task InitializeAsync()
    {
        _session = new BrowserSession(browser, Pages.Settings());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task ASignInFormLeftOpen_WhileSigningUpInAnotherTab_SaysThePageHadExpired_AndLeadsBackToIt()
    {
        var leftOpen = await _session.NewPageAsync();
        await leftOpen.GotoAsync("/account/login");
        var otherTab = await leftOpen.Context.NewPageAsync();
        var email = await Pages.RegisterAsync(otherTab);

        await leftOpen.Locator("#login-email").FillAsync(email);
        await leftOpen.Locator("#login-password").FillAsync(Pages.Password);
        await leftOpen.Locator("[data-action=submit-login]").ClickAsync();

        await Expect(leftOpen.Locator("[data-state=form-expired]")).ToBeVisibleAsync();
        await Expect(leftOpen.Locator("h1")).ToHaveTextAsync("This page had expired");
        await Expect(leftOpen).ToHaveURLAsync(new Regex("/form-expired"));

        await leftOpen.Locator("[data-action=reopen-form]").ClickAsync();
        await Expect(leftOpen).ToHaveURLAsync(new Regex("/account/login$"));
        await Expect(leftOpen.Locator(".auth-alert--success")).ToContainTextAsync(email);
    }
}
