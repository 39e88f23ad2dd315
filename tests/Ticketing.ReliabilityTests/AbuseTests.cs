using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Ticketing.Testing;

namespace Ticketing.ReliabilityTests;

/// <summary>Issue 6, abuse checks not covered by Ticketing.Web.Tests: cookie flags in Production, antiforgery, admin page.</summary>
public sealed class AbuseTests
{
    [Fact]
    public async Task SignIn_InProduction_SetsASecureHttpOnlySameSiteLaxCookie()
    {
        await using var app = new TicketingApp(environment: "Production");
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), HandleCookies = false, AllowAutoRedirect = false });

        var response = await client.PostAsJsonAsync("/api/users/signup", new { email = $"prod-{Guid.NewGuid():N}@example.com", password = "correct-horse-battery" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ticketing.auth=", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task LoginFormPost_WithoutTheAntiforgeryToken_IsRejectedAndSignsNobodyIn()
    {
        await using var app = new TicketingApp();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = TicketingApp.AdminEmail,
            ["Input.Password"] = TicketingApp.AdminPassword,
            ["_handler"] = "login",
        });

        var response = await client.PostAsync("/account/login", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("ticketing.auth=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AdminDashboard_ForASignedInNormalUser_IsNotServed()
    {
        await using var app = new TicketingApp();
        var (client, _, _) = await app.SignUpAsync();

        var response = await client.GetAsync("/admin");
        var body = await response.Content.ReadAsStringAsync();

        Assert.False(response.StatusCode == HttpStatusCode.OK && body.Contains("/admin/export.csv", StringComparison.Ordinal), $"/admin served the dashboard to a normal user ({(int)response.StatusCode}).");
    }
}
