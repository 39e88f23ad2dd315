using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Users;

public sealed class SignInTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Password = "correct-horse-battery";

    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task SignIn_WithUnknownEmail_Returns400InvalidCredentials()
    {
        using var client = _app.CreateUserClient();

        var response = await client.PostAsJsonAsync("/api/users/signin", new { email = $"nobody-{Guid.NewGuid():N}@example.com", password = Password });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Invalid credentials");
    }

    [Fact]
    public async Task SignIn_WithWrongPassword_Returns400WithTheSameMessageAsUnknownEmail()
    {
        var (_, _, email) = await _app.SignUpAsync(password: Password);
        using var client = _app.CreateUserClient();

        var wrong = await client.PostAsJsonAsync("/api/users/signin", new { email, password = "wrong-password" });
        var unknown = await client.PostAsJsonAsync("/api/users/signin", new { email = "x" + email, password = "wrong-password" });

        var wrongErrors = await wrong.AssertErrorAsync(HttpStatusCode.BadRequest, "Invalid credentials");
        var unknownErrors = await unknown.AssertErrorAsync(HttpStatusCode.BadRequest, "Invalid credentials");
        Assert.Equal(unknownErrors.Errors, wrongErrors.Errors);
    }

    [Fact]
    public async Task SignIn_WithValidCredentials_Returns200WithIdAndEmailAndSetsTheCookie()
    {
        var (_, id, email) = await _app.SignUpAsync(password: Password);
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

        var response = await client.PostAsJsonAsync("/api/users/signin", new { email, password = Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(id, body.GetProperty("id").GetGuid());
        Assert.Equal(email, body.GetProperty("email").GetString());
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ticketing.auth=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_WithEmailInAnotherCase_Returns200()
    {
        var (_, id, email) = await _app.SignUpAsync(password: Password);
        using var client = _app.CreateUserClient();

        var response = await client.PostAsJsonAsync("/api/users/signin", new { email = email.ToUpperInvariant(), password = Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/users/currentuser");
        Assert.Equal(id, me.GetProperty("currentUser").GetProperty("id").GetGuid());
    }

    [Theory]
    [InlineData(null, Password, "email")]
    [InlineData("someone@example.com", null, "password")]
    [InlineData("", "", "email")]
    [InlineData("  ", "", "password")]
    public async Task SignIn_WithMissingFields_Returns400(string? email, string? password, string field)
    {
        using var client = _app.CreateUserClient();

        var response = await client.PostAsJsonAsync("/api/users/signin", new { email, password });

        var errors = await response.AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains(errors.Errors, e => e.Field == field);
    }

    [Fact]
    public async Task SignIn_AfterFiveFailures_Returns429EvenWithTheRightPassword()
    {
        var (_, _, email) = await _app.SignUpAsync(password: Password);
        using var client = _app.CreateUserClient();

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var failed = await client.PostAsJsonAsync("/api/users/signin", new { email, password = $"wrong-{attempt}-password" });
            await failed.AssertErrorAsync(HttpStatusCode.BadRequest, "Invalid credentials");
        }

        var locked = await client.PostAsJsonAsync("/api/users/signin", new { email, password = Password });

        await locked.AssertErrorAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromMinutes(5), locked.Headers.RetryAfter?.Delta);
        var me = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/users/currentuser");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, me.GetProperty("currentUser").ValueKind);
    }

    [Fact]
    public async Task SignIn_AfterFourFailuresThenSuccess_ResetsTheCount()
    {
        var (_, _, email) = await _app.SignUpAsync(password: Password);
        using var client = _app.CreateUserClient();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await client.PostAsJsonAsync("/api/users/signin", new { email, password = "wrong-password" });
        }

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/users/signin", new { email, password = Password })).StatusCode);
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await client.PostAsJsonAsync("/api/users/signin", new { email, password = "wrong-password" });
        }

        var response = await client.PostAsJsonAsync("/api/users/signin", new { email, password = Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
