using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ticketing.Web.Tests.Api.Users;

public sealed class SignUpTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly Testing.TicketingApp _app = fixture.App;

    [Fact]
    public async Task Signup_WithValidCredentials_Returns201WithIdAndEmail()
    {
        using var client = _app.CreateUserClient();
        var email = NewEmail();

        var response = await client.PostAsJsonAsync("/api/users/signup", new { email, password = "password123" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(email, body.GetProperty("email").GetString());
        var id = body.GetProperty("id").GetGuid();
        await using var db = _app.CreateDbContext();
        Assert.True(await db.Users.AnyAsync(u => u.Id == id && u.Email == email));
    }

    [Fact]
    public async Task Signup_WithValidCredentials_SetsTheAuthCookie()
    {
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

        var response = await client.PostAsJsonAsync("/api/users/signup", new { email = NewEmail(), password = "password123" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ticketing.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Signup_ThenCurrentUser_IsSignedIn()
    {
        var (client, id, email) = await _app.SignUpAsync();

        var body = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/users/currentuser");

        Assert.Equal(id, body.GetProperty("currentUser").GetProperty("id").GetGuid());
        Assert.Equal(email, body.GetProperty("currentUser").GetProperty("email").GetString());
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("missing-at.example.com")]
    [InlineData("user@nodot")]
    [InlineData("two@@example.com")]
    [InlineData("Someone <someone@example.com>")]
    [InlineData("")]
    public async Task Signup_WithInvalidEmail_Returns400(string email)
    {
        using var client = _app.CreateUserClient();

        var response = await client.PostAsJsonAsync("/api/users/signup", new { email, password = "password123" });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Email must be valid", "email");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(129)]
    public async Task Signup_WithPasswordOutside8To128Characters_Returns400(int length)
    {
        using var client = _app.CreateUserClient();

        var response = await client.PostAsJsonAsync("/api/users/signup", new { email = NewEmail(), password = new string('p', length) });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Password must be between 8 and 128 characters", "password");
    }

    [Theory]
    [InlineData(8)]
    [InlineData(128)]
    public async Task Signup_WithPasswordAtTheLimits_Returns201(int length)
    {
        using var client = _app.CreateUserClient();

        var response = await client.PostAsJsonAsync("/api/users/signup", new { email = NewEmail(), password = new string('p', length) });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Signup_WithMissingEmailAndPassword_Returns400ForBoth()
    {
        using var client = _app.CreateUserClient();

        var response = await client.PostAsJsonAsync("/api/users/signup", new { });

        var errors = await response.AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["email", "password"], errors.Errors.Select(e => e.Field).Order());
    }

    [Fact]
    public async Task Signup_WithEmailInUse_Returns400()
    {
        var (_, _, email) = await _app.SignUpAsync();
        using var client = _app.CreateUserClient();

        var response = await client.PostAsJsonAsync("/api/users/signup", new { email, password = "password123" });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Email in use", "email");
    }

    [Fact]
    public async Task Signup_WithEmailInUseInAnotherCase_Returns400()
    {
        var (_, _, email) = await _app.SignUpAsync($"Mixed.Case-{Guid.NewGuid():N}@Example.com");
        using var client = _app.CreateUserClient();

        var response = await client.PostAsJsonAsync("/api/users/signup", new { email = $"  {email.ToUpperInvariant()} ", password = "password123" });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Email in use", "email");
        await using var db = _app.CreateDbContext();
        Assert.Equal(1, await db.Users.CountAsync(u => u.NormalizedEmail == email.ToUpperInvariant()));
    }

    [Fact]
    public async Task Signup_WithOneEmailSeveralTimesAtOnce_CreatesOneAccount()
    {
        var email = NewEmail();
        var clients = Enumerable.Range(0, 5).Select(_ => _app.CreateUserClient()).ToList();

        var responses = await Task.WhenAll(clients.Select(c => c.PostAsJsonAsync("/api/users/signup", new { email, password = "password123" })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await refused.AssertErrorAsync(HttpStatusCode.BadRequest, "Email in use", "email");
        }

        await using var db = _app.CreateDbContext();
        Assert.Equal(1, await db.Users.CountAsync(u => u.NormalizedEmail == email.ToUpperInvariant()));
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task Signup_WithClientSetRoles_IgnoresThem()
    {
        using var client = _app.CreateUserClient();

        var response = await client.PostAsJsonAsync("/api/users/signup", new { email = NewEmail(), password = "password123", roles = new[] { "Admin" }, id = Guid.Empty });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotEqual(Guid.Empty, (await response.ReadJsonAsync()).GetProperty("id").GetGuid());
        var me = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/users/currentuser");
        Assert.Empty(me.GetProperty("currentUser").GetProperty("roles").EnumerateArray());
    }

    private static string NewEmail() => $"signup-{Guid.NewGuid():N}@example.com";
}
