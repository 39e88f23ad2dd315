using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Localization;

/// <summary>
/// The language of a page, end to end over HTTP: the browser's Accept-Language picks German or
/// English, the switcher's cookie overrides it, and the switcher's endpoint refuses what it must.
/// </summary>
public sealed class LanguageChoiceTests(LanguageChoiceTests.App app) : IClassFixture<LanguageChoiceTests.App>
{
    [Theory]
    [InlineData("de")]
    [InlineData("de-DE,de;q=0.9,en;q=0.8")]
    [InlineData("de-AT")]
    public async Task AcceptLanguageGerman_GivesAGermanPage(string acceptLanguage)
    {
        var html = await PageAsync("/", acceptLanguage);

        Assert.Contains("<html lang=\"de\"", html);
        Assert.Contains("Tickets zu verkaufen", html);
        Assert.Contains("Ticket verkaufen", html);
        Assert.DoesNotContain("Tickets for sale", html);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("en-US,en;q=0.9")]
    [InlineData("fr-FR,fr;q=0.9")]
    public async Task AnyOtherLanguage_GivesTheEnglishPage(string? acceptLanguage)
    {
        var html = await PageAsync("/", acceptLanguage);

        Assert.Contains("<html lang=\"en\"", html);
        Assert.Contains("Tickets for sale", html);
        Assert.DoesNotContain("Tickets zu verkaufen", html);
    }

    [Fact]
    public async Task GermanSignInAndSignUpPages_AreInGerman_WithTheSameForms()
    {
        var login = await PageAsync("/account/login", "de-DE,de;q=0.9,en;q=0.8");
        var register = await PageAsync("/account/register", "de");

        Assert.Contains("<html lang=\"de\"", login);
        Assert.Contains("<title>Anmelden · Ticketing</title>", login);
        Assert.Contains("Willkommen zurück.", login);
        Assert.Contains(">Passwort</label>", login);
        Assert.Contains("Angemeldet bleiben", login);
        Assert.Contains("Passwort vergessen?", login);
        Assert.Contains("data-action=\"submit-login\">Anmelden</button>", login);
        Assert.DoesNotContain("Keep me signed in", login);

        Assert.Contains("<html lang=\"de\"", register);
        Assert.Contains("<title>Registrieren · Ticketing</title>", register);
        Assert.Contains("Erstelle dein Konto", register);
        Assert.Contains("Passwort bestätigen", register);
        Assert.Contains("8 bis 128 Zeichen.", register);
        Assert.Contains("data-action=\"submit-register\">Konto erstellen</button>", register);
        Assert.DoesNotContain("Create your account", register);
    }

    [Fact]
    public async Task EnglishSignInAndSignUpPages_StayInEnglish()
    {
        var login = await PageAsync("/account/login", "en-US");
        var register = await PageAsync("/account/register", null);

        Assert.Contains("<html lang=\"en\"", login);
        Assert.Contains("Keep me signed in", login);
        Assert.Contains("data-action=\"submit-login\">Sign in</button>", login);
        Assert.DoesNotContain("Angemeldet bleiben", login);
        Assert.Contains("Create your account", register);
        Assert.Contains("Confirm password", register);
        Assert.DoesNotContain("Erstelle dein Konto", register);
    }

    [Fact]
    public async Task GermanTicketPage_WritesThePriceTheGermanWay()
    {
        var (seller, _, _) = await app.Instance.SignUpAsync();
        var created = await seller.PostAsJsonAsync("/api/tickets", new { title = "Arctic Monkeys, standing", price = 1250.5m });
        created.EnsureSuccessStatusCode();
        var ticket = await created.Content.ReadFromJsonAsync<IdDto>();

        var german = await PageAsync($"/tickets/{ticket!.Id}", "de-DE");
        var english = await PageAsync($"/tickets/{ticket.Id}", "en-US");

        Assert.Contains("1.250,50 $", german);
        Assert.Contains("Über dieses Ticket", german);
        Assert.Contains("$1,250.50", english);
        Assert.Contains("About this ticket", english);
    }

    [Fact]
    public async Task Switcher_SetsTheCultureCookie_AndGoesBack_AndTheCookieOutranksTheBrowser()
    {
        using var client = app.Instance.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var switched = await client.GetAsync("/culture?culture=de&returnUrl=%2Fmy%2Flistings%3Fpage%3D2");

        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/my/listings?page=2", switched.Headers.Location?.OriginalString);
        Assert.Contains(switched.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=c%3Dde%7Cuic%3Dde", StringComparison.Ordinal));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.AcceptLanguage.ParseAdd("en-US");
        var html = await (await client.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains("Tickets zu verkaufen", html);

        // The page links back to the other language, returning to where the reader is.
        Assert.Contains("href=\"/culture?culture=en&amp;returnUrl=%2F\"", html);

        await client.GetAsync("/culture?culture=en&returnUrl=%2F");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/");
        again.Headers.AcceptLanguage.ParseAdd("de-DE");
        Assert.Contains("Tickets for sale", await (await client.SendAsync(again)).Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("/%09/evil.example/")]
    public async Task Switcher_NeverRedirectsOffTheSite(string returnUrl)
    {
        using var client = app.Instance.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var switched = await client.GetAsync($"/culture?culture=de&returnUrl={Uri.EscapeDataString(Uri.UnescapeDataString(returnUrl))}");

        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/", switched.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("")]
    [InlineData("de-DE;evil")]
    public async Task Switcher_RefusesALanguageItDoesNotSpeak_AndSetsNoCookie(string culture)
    {
        using var client = app.Instance.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var switched = await client.GetAsync($"/culture?culture={Uri.EscapeDataString(culture)}&returnUrl=%2F");

        Assert.Equal(HttpStatusCode.BadRequest, switched.StatusCode);
        Assert.False(switched.Headers.Contains("Set-Cookie"));
        Assert.Contains("\"field\":\"culture\"", await switched.Content.ReadAsStringAsync());
    }

    private async Task<string> PageAsync(string path, string? acceptLanguage)
    {
        using var client = app.Instance.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();

        // As the browser reads it: the renderer writes "Ü" as "&#xDC;".
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private sealed record IdDto(Guid Id);

    public sealed class App : IAsyncLifetime
    {
        public TicketingApp Instance { get; } = new(settings: new Dictionary<string, string?> { ["RateLimiting:AuthPermitLimit"] = "100000" });

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await Instance.DisposeAsync();
    }
}
