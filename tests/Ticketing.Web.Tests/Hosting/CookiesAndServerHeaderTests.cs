using Microsoft.AspNetCore.Mvc.Testing;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Hosting;

/// <summary>
/// Every cookie a page sets over HTTPS is Secure (the forms' antiforgery cookie too, not only the
/// sign-in cookie), the forms still work over plain HTTP, and no answer names the server software.
/// </summary>
public sealed class CookiesAndServerHeaderTests
{
    private static readonly string[] Pages = ["/", "/account/login", "/account/register"];

    [Fact]
    public async Task InProduction_OverHttps_EveryCookieAPageSets_IsSecure()
    {
        await using var app = new TicketingApp(environment: "Production");
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = false });

        foreach (var path in Pages)
        {
            var cookies = SetCookies(await client.GetAsync(path));

            Assert.Contains(cookies, c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
            Assert.All(cookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task InProduction_OverPlainHttp_TheFormsStillRender_WithAnAntiforgeryCookieThatCanComeBack()
    {
        await using var app = new TicketingApp(environment: "Production");
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

        var page = await client.GetAsync("/account/login");

        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        var antiforgery = Assert.Single(SetCookies(page), c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.DoesNotContain("; secure", antiforgery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task OverARealPort_NoAnswerNamesTheServerSoftware()
    {
        await using var app = new TicketingApp(kestrel: true);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

        foreach (var path in new[] { "/", "/api/tickets", "/api/orders", "/no-such-page", "/health/live" })
        {
            var response = await client.GetAsync(path);

            Assert.Empty(response.Headers.Server);
            Assert.False(response.Headers.Contains("X-Powered-By"), path);
        }
    }

    private static List<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];
}
