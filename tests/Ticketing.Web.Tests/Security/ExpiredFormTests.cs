using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Security;

/// <summary>
/// A page's form posted after its antiforgery token stopped fitting (someone signed in or out in
/// another tab since the page opened) is not acted on, and the browser lands on a page that says
/// so and leads back to the form, instead of a bare 400 with a developer's message.
/// </summary>
public sealed partial class ExpiredFormTests
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task ASignInForm_PostedAfterSigningUpInAnotherTab_IsSentToThePageThatSaysSo_AndSignsNobodyIn()
    {
        await using var app = new TicketingApp();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var token = TokenOf(await client.GetStringAsync("/account/login?ReturnUrl=%2Forders"));
        var other = await SignUpAsync(client, "tab-two@example.com");

        var posted = await PostLoginAsync(client, "/account/login?ReturnUrl=%2Forders", token, "nobody@example.com");

        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        Assert.Equal("/form-expired?returnUrl=%2Faccount%2Flogin%3FReturnUrl%3D%252Forders", posted.Headers.Location!.OriginalString);
        var page = await client.GetStringAsync(posted.Headers.Location);
        Assert.Contains("This page had expired", page);
        Assert.Equal("/account/login?ReturnUrl=%2Forders", BackLinkOf(page));

        // Still the account of the other tab: the post changed nothing.
        var current = await client.GetFromJsonAsync<CurrentUserResponse>("/api/users/currentuser");
        Assert.Equal(other, current!.CurrentUser!.Email);
    }

    [Fact]
    public async Task ASignOutForm_PostedAfterSigningOutInAnotherTab_IsSentToThePageThatSaysSo_InTheReadersLanguage()
    {
        await using var app = new TicketingApp();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("de-DE");
        await SignUpAsync(client, "leaving@example.com");
        var token = TokenOf(await client.GetStringAsync("/account/manage"));
        (await client.PostAsync("/api/users/signout", JsonContent.Create(new { }))).EnsureSuccessStatusCode();

        var posted = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(posted.Headers.Location));
        Assert.Contains("Diese Seite war abgelaufen", page);
        Assert.Contains("Seite erneut öffnen", page);
        Assert.Equal("/account/logout", BackLinkOf(page));
    }

    [Fact]
    public async Task TheFormWithItsOwnToken_StillSignsIn()
    {
        await using var app = new TicketingApp();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var email = await SignUpAsync(client, "returning@example.com");
        (await client.PostAsync("/api/users/signout", JsonContent.Create(new { }))).EnsureSuccessStatusCode();
        var token = TokenOf(await client.GetStringAsync("/account/login"));

        var posted = await PostLoginAsync(client, "/account/login", token, email);

        Assert.DoesNotContain("/form-expired", posted.Headers.Location?.OriginalString ?? string.Empty);
        var current = await client.GetFromJsonAsync<CurrentUserResponse>("/api/users/currentuser");
        Assert.Equal(email, current!.CurrentUser!.Email);
    }

    [Fact]
    public async Task TheBackLink_NeverLeavesTheSite()
    {
        await using var app = new TicketingApp();
        using var client = app.CreateClient();

        var page = await client.GetStringAsync("/form-expired?returnUrl=https%3A%2F%2Fevil.example%2F");

        Assert.Equal("/", BackLinkOf(page));
    }

    private static async Task<string> SignUpAsync(HttpClient client, string email)
    {
        (await client.PostAsJsonAsync("/api/users/signup", new { email, password = Password })).EnsureSuccessStatusCode();
        return email;
    }

    private static Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string path, string token, string email) =>
        client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
        }));

    private static string TokenOf(string html) => TokenInput().Match(html) is { Success: true } match
        ? WebUtility.HtmlDecode(match.Groups["token"].Value)
        : throw new InvalidOperationException("The page has no antiforgery token.");

    /// <summary>Where the page's one way back leads: the <c>href</c> of its reopen-form link.</summary>
    private static string BackLinkOf(string html)
    {
        var link = Assert.Single(Anchors().Matches(html), a => a.Value.Contains("data-action=\"reopen-form\"", StringComparison.Ordinal));
        return WebUtility.HtmlDecode(Href().Match(link.Value).Groups["href"].Value);
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenInput();

    [GeneratedRegex("<a\\b[^>]*>")]
    private static partial Regex Anchors();

    [GeneratedRegex("href=\"(?<href>[^\"]*)\"")]
    private static partial Regex Href();

    private sealed record CurrentUserResponse(CurrentUser? CurrentUser);

    private sealed record CurrentUser(string Id, string Email);
}
