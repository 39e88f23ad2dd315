using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Identity;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Security;

/// <summary>
/// An API call's cookie is checked against its account once per <c>Identity:RevalidationSeconds</c>
/// (one second here), not on every request: a cookie issued before a password change that the app did
/// not hear of keeps working until its check is due, then is refused. One whose change the app made
/// itself is refused at once.
/// </summary>
public sealed partial class CookieStampCheckTests : IAsyncLifetime
{
    private readonly TicketingApp _app = new(settings: new Dictionary<string, string?> { ["Identity:RevalidationSeconds"] = "1" });

    [Fact]
    public async Task CookieOfAChangedAccount_IsRefusedOnceItsCheckIsDue()
    {
        var (client, userId, _) = await _app.SignUpAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/orders")).StatusCode);

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var account = await users.FindByIdAsync(userId.ToString());
            Assert.True((await users.UpdateSecurityStampAsync(account!)).Succeeded);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/orders")).StatusCode);
    }

    [Fact]
    public async Task CookieOfAnAccountChangedBehindTheAppsBack_KeepsWorking_UntilItsCheckIsDue()
    {
        // Ten minutes between checks: the request right after the change comes long before one is due.
        // Changed in the database alone (as by an instance that could not tell this one): the app has
        // not heard of it, and reads no account on the way.
        await using var app = new TicketingApp(settings: new Dictionary<string, string?> { ["Identity:RevalidationSeconds"] = "600" });
        var (client, userId, _) = await app.SignUpAsync();

        await using (var db = app.CreateDbContext())
        {
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(a => a.SecurityStamp, Guid.NewGuid().ToString("N")));
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/orders")).StatusCode);
    }

    [Fact]
    public async Task CookieOfAnAccountChangedThroughTheApp_IsRefusedAtOnce()
    {
        // The app ended the account's sessions itself (decision 35): it needs no check to know.
        await using var app = new TicketingApp(settings: new Dictionary<string, string?> { ["Identity:RevalidationSeconds"] = "600" });
        var (client, userId, _) = await app.SignUpAsync();

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var account = await users.FindByIdAsync(userId.ToString());
            Assert.True((await users.UpdateSecurityStampAsync(account!)).Succeeded);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/orders")).StatusCode);
    }

    /// <summary>
    /// A request that left with the old cookie (another tab's, a closing page's beacon) is answered
    /// after a new password re-issued the cookie and ended the old session: it is refused, and its
    /// answer leaves the browser's new cookie alone. Deleting the cookie there signed the browser out of the session it had just renewed.
    /// </summary>
    [Fact]
    public async Task TheAnswerToARequestThatLeftWithTheOldCookie_RefusesIt_ButLeavesTheReissuedCookieAlone()
    {
        await using var app = new TicketingApp(settings: new Dictionary<string, string?> { ["Identity:RevalidationSeconds"] = "600" });
        var jar = new CookieContainerHandler();
        using var browser = app.CreateDefaultClient(jar);
        var email = $"user-{Guid.NewGuid():N}@example.com";
        Assert.Equal(HttpStatusCode.Created, (await browser.PostAsJsonAsync("/api/users/signup", new { email, password = "correct-horse-battery" })).StatusCode);
        var before = AuthCookie(jar, browser);

        var token = TokenInput().Match(await browser.GetStringAsync("/account/manage")).Groups["token"].Value;
        var changed = await browser.PostAsync("/account/manage", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "change-password",
            ["__RequestVerificationToken"] = token,
            ["Input.CurrentPassword"] = "correct-horse-battery",
            ["Input.NewPassword"] = "a-brand-new-passphrase",
            ["Input.ConfirmPassword"] = "a-brand-new-passphrase",
        }));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains("Your password has been changed.", await changed.Content.ReadAsStringAsync());
        var after = AuthCookie(jar, browser);
        Assert.NotEqual(before, after);

        // The old session ends once the change's answer is out, a moment after the client has it:
        // ask with the old cookie until it is refused.
        using var stray = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        HttpResponseMessage stale;
        while ((await (stale = await SendAsync(stray, "/api/users/currentuser", before)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("currentUser").ValueKind != JsonValueKind.Null)
        {
            Assert.True(DateTime.UtcNow < deadline, "The old cookie was never refused.");
            await Task.Delay(20);
        }

        Assert.DoesNotContain(stale.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith(AuthCookieName + "=", StringComparison.Ordinal));

        var current = await SendAsync(stray, "/api/users/currentuser", after);
        Assert.Equal(email, (await current.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("currentUser").GetProperty("email").GetString());
    }

    /// <summary>
    /// The set-up page makes the account's authenticator key on first view. A key two-factor sign-in
    /// does not use yet guards nothing: making it renews no stamp, and the account's other browsers stay
    /// signed in. (Identity's key reset renews it, which ended them all.) Turning it on does end them.
    /// </summary>
    [Fact]
    public async Task OpeningTheTwoFactorSetUp_SignsNoOtherBrowserOut()
    {
        await using var app = new TicketingApp(settings: new Dictionary<string, string?> { ["Identity:RevalidationSeconds"] = "600" });
        var (here, _, email) = await app.SignUpAsync();
        using var elsewhere = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.PostAsJsonAsync("/api/users/signin", new { email, password = "correct-horse-battery" })).StatusCode);

        var key = KeyShown().Match(await here.GetStringAsync("/account/two-factor/setup")).Groups["key"].Value;
        Assert.NotEmpty(key);
        Assert.Equal(key, KeyShown().Match(await here.GetStringAsync("/account/two-factor/setup")).Groups["key"].Value); // the same key on the next view

        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/api/orders")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync("/api/orders")).StatusCode);
    }

    [Fact]
    public async Task CookieOfAnUnchangedAccount_StaysValidAcrossChecks()
    {
        var (client, _, _) = await _app.SignUpAsync();

        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.2));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/orders")).StatusCode);
        }
    }

    private const string AuthCookieName = "ticketing.auth";

    /// <summary>The auth cookie the browser holds, as <c>name=value</c>.</summary>
    private static string AuthCookie(CookieContainerHandler jar, HttpClient browser) =>
        $"{AuthCookieName}={jar.Container.GetCookies(browser.BaseAddress!)[AuthCookieName]?.Value ?? throw new InvalidOperationException("No auth cookie.")}";

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return client.SendAsync(request);
    }

    [GeneratedRegex("data-authenticator-key[^>]*>(?<key>[^<]+)<")]
    private static partial Regex KeyShown();

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenInput();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();
}
