using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using Ticketing.BrowserTests.Support;
using Ticketing.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

/// <summary>
/// The account e-mails as a person uses them: the e-mail is read from a real SMTP server, and its
/// link is opened in the browser, to choose a new password or to confirm the address.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccountEmailJourneyTests(BrowserFixture browser) : IAsyncLifetime
{
    private SmtpSink _sink = null!;
    private BrowserSession _session = null!;

    public async Task InitializeAsync()
    {
        _sink = await SmtpSink.StartAsync();
        _session = new BrowserSession(browser, Pages.Settings([.. _sink.Settings.Where(s => s.Value is not null).Select(s => (s.Key, s.Value!))]));
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task ForgotPassword_TheEmailedLinkSetsANewPassword_ThenSignInWithIt()
    {
        var page = await _session.NewPageAsync();
        var email = await Pages.RegisterAsync(page);
        await Pages.SignOutAsync(page);

        await page.GotoAsync("/account/login");
        await page.Locator("[data-action=go-forgot-password]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/account/forgot-password$"));
        await page.Locator("#forgot-email").FillAsync(email);
        await page.Locator("[data-action=submit-forgot-password]").ClickAsync();
        await Expect(page.GetByText("If an account uses that address")).ToBeVisibleAsync();

        var message = Assert.Single(await _sink.WaitForAsync(m => IsTo(m, email) && m.Subject == "Reset your Ticketing password"));
        await page.GotoAsync(LinkIn(message, "/account/reset-password").PathAndQuery);
        await page.Locator("#reset-password").FillAsync("a-brand-new-password");
        await page.Locator("#reset-confirm").FillAsync("a-brand-new-password");
        await page.Locator("[data-action=submit-reset-password]").ClickAsync();
        await Expect(page.GetByText("Your password has been changed")).ToBeVisibleAsync();

        await page.Locator("[data-action=go-sign-in-after-reset]").ClickAsync();
        await Pages.SignInAsync(page, email, "a-brand-new-password");
        await Expect(page.Locator("[data-user-email]").First).ToHaveAttributeAsync("data-user-email", email);
    }

    [Fact]
    public async Task SignUp_TheLinkInTheWelcomeConfirmsTheAddress_AndTheBadgeSaysSo()
    {
        var page = await _session.NewPageAsync();
        var email = await Pages.RegisterAsync(page);
        await Expect(page.Locator("[data-state=email-unconfirmed]")).ToBeVisibleAsync();
        await page.GotoAsync("/account/manage");
        await Expect(page.Locator("[data-field=email-status]")).ToHaveTextAsync("Not confirmed");

        var welcome = Assert.Single(await _sink.WaitForAsync(m => IsTo(m, email) && m.Subject == "Welcome to Ticketing"));
        await page.GotoAsync(LinkIn(welcome, "/account/confirm-email").PathAndQuery);
        await Expect(page.GetByText("Thank you: your email address is confirmed.")).ToBeVisibleAsync();

        await page.GotoAsync("/account/manage");
        await Expect(page.Locator("[data-field=email-status]")).ToHaveTextAsync("Confirmed");
        await Expect(page.Locator("[data-field=email-status]")).ToHaveAttributeAsync("data-state", "confirmed");
        await Expect(page.Locator("[data-state=email-unconfirmed]")).ToHaveCountAsync(0);
    }

    private static bool IsTo(MimeMessage message, string email) =>
        message.To.Mailboxes.Any(a => a.Address.Equals(email, StringComparison.OrdinalIgnoreCase));

    /// <summary>The link to <paramref name="path"/> on its own line of the e-mail's plain text.</summary>
    private static Uri LinkIn(MimeMessage message, string path)
    {
        var match = Regex.Match(message.TextBody ?? string.Empty, $@"^https?://\S+{Regex.Escape(path)}\?\S+$", RegexOptions.Multiline);
        Assert.True(match.Success, $"No {path} link in: {message.TextBody}");
        return new Uri(match.Value.Trim());
    }
}
