using System.Net;
using System.Net.Http.Json;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api;

public sealed class RateLimitingTests
{
    [Fact]
    public async Task SignUpAndSignIn_OverTheConfiguredLimit_Return429InTheErrorsShape()
    {
        await using var app = new TicketingApp(settings: AppFixture.Settings(("RateLimiting:AuthPermitLimit", "3"), ("RateLimiting:AuthWindowSeconds", "300")));
        using var client = app.CreateUserClient();
        for (var i = 0; i < 3; i++)
        {
            var allowed = await client.PostAsJsonAsync("/api/users/signup", new { email = $"limit-{Guid.NewGuid():N}@example.com", password = "password123" });
            Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        }

        var signUp = await client.PostAsJsonAsync("/api/users/signup", new { email = $"limit-{Guid.NewGuid():N}@example.com", password = "password123" });
        var signIn = await client.PostAsJsonAsync("/api/users/signin", new { email = TicketingApp.AdminEmail, password = TicketingApp.AdminPassword });

        await signUp.AssertErrorAsync(HttpStatusCode.TooManyRequests);
        await signIn.AssertErrorAsync(HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(signUp.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/tickets")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/users/currentuser")).StatusCode);
    }

    [Fact]
    public async Task SignUp_WithDefaultSettings_AllowsTwentyAttemptsPerWindow()
    {
        await using var app = new TicketingApp();
        using var client = app.CreateUserClient();

        // Refused before any account is created: the limit counts attempts, not successes.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 21; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/api/users/signup", new { email = "not-an-email", password = "x" })).StatusCode);
        }

        Assert.All(statuses.Take(20), s => Assert.Equal(HttpStatusCode.BadRequest, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[20]);
    }
}
