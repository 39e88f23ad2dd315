using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.Testing;
using Ticketing.Web.Api;

namespace Ticketing.Web.Tests.Api.Users;

/// <summary>
/// An account with two-factor sign-in: the right password alone is answered 401 with the field
/// <c>code</c>, and the same call again with the authenticator's code (or a recovery code) signs in.
/// </summary>
public sealed class TwoFactorSignInTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Password = "correct-horse-battery";

    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task SignIn_WithTheRightPassword_AsksForTheCode_AndSignsNobodyIn()
    {
        var (_, userId, email) = await _app.SignUpAsync(password: Password);
        await _app.TurnOnTwoFactorAsync(userId);
        using var client = _app.CreateUserClient();

        var response = await client.PostAsJsonAsync("/api/users/signin", new { email, password = Password });

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized, UsersApi.TwoFactorRequired, "code");
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("ticketing.auth=", StringComparison.Ordinal));
        Assert.Equal(JsonValueKind.Null, (await client.GetFromJsonAsync<JsonElement>("/api/users/currentuser")).GetProperty("currentUser").ValueKind);
    }

    [Fact]
    public async Task SignIn_CalledAgainWithTheAuthenticatorCode_SignsIn()
    {
        var (_, userId, email) = await _app.SignUpAsync(password: Password);
        var (key, _) = await _app.TurnOnTwoFactorAsync(userId);
        using var client = _app.CreateUserClient();
        var first = await client.PostAsJsonAsync("/api/users/signin", new { email, password = Password });
        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);

        var second = await client.PostAsJsonAsync("/api/users/signin", new { email, password = Password, code = Totp.Code(key) });

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(userId, (await second.ReadJsonAsync()).GetProperty("id").GetGuid());
        var current = (await client.GetFromJsonAsync<JsonElement>("/api/users/currentuser")).GetProperty("currentUser");
        Assert.Equal(userId, current.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task SignIn_WithTheCodeOnTheFirstCall_SignsInAtOnce_FromAClientThatKeepsNoCookies()
    {
        var (_, userId, email) = await _app.SignUpAsync(password: Password);
        var (key, _) = await _app.TurnOnTwoFactorAsync(userId);
        using var client = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });

        var response = await client.PostAsJsonAsync("/api/users/signin", new { email, password = Password, code = Totp.Code(key) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ticketing.auth=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_WithAWrongCode_Returns400OnTheCodeField()
    {
        var (_, userId, email) = await _app.SignUpAsync(password: Password);
        var (key, _) = await _app.TurnOnTwoFactorAsync(userId);
        using var client = _app.CreateUserClient();
        var wrong = ((int.Parse(Totp.Code(key), System.Globalization.CultureInfo.InvariantCulture) + 500_000) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

        var response = await client.PostAsJsonAsync("/api/users/signin", new { email, password = Password, code = wrong });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Invalid two-factor code", "code");
        Assert.Equal(JsonValueKind.Null, (await client.GetFromJsonAsync<JsonElement>("/api/users/currentuser")).GetProperty("currentUser").ValueKind);
    }

    [Fact]
    public async Task SignIn_WithAWrongPassword_AndTheRightCode_IsInvalidCredentials()
    {
        var (_, userId, email) = await _app.SignUpAsync(password: Password);
        var (key, _) = await _app.TurnOnTwoFactorAsync(userId);
        using var client = _app.CreateUserClient();

        var response = await client.PostAsJsonAsync("/api/users/signin", new { email, password = "wrong-password", code = Totp.Code(key) });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Invalid credentials");
    }

    [Fact]
    public async Task SignIn_WithARecoveryCode_SignsInOnce_AndTheCodeIsUsedUp()
    {
        var (_, userId, email) = await _app.SignUpAsync(password: Password);
        var (_, recoveryCodes) = await _app.TurnOnTwoFactorAsync(userId);
        using var client = _app.CreateUserClient();

        var first = await client.PostAsJsonAsync("/api/users/signin", new { email, password = Password, recoveryCode = recoveryCodes[0] });
        using var other = _app.CreateUserClient();
        var again = await other.PostAsJsonAsync("/api/users/signin", new { email, password = Password, recoveryCode = recoveryCodes[0] });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await again.AssertErrorAsync(HttpStatusCode.BadRequest, "Invalid recovery code", "recoveryCode");
    }

    [Fact]
    public async Task FiveWrongCodes_LockTheAccount_SoThatEvenTheRightCodeWaits()
    {
        var (_, userId, email) = await _app.SignUpAsync(password: Password);
        var (key, _) = await _app.TurnOnTwoFactorAsync(userId);
        using var client = _app.CreateUserClient();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await client.PostAsJsonAsync("/api/users/signin", new { email, password = Password, code = "000000" == Totp.Code(key) ? "111111" : "000000" });
            Assert.NotEqual(HttpStatusCode.OK, wrong.StatusCode);
        }

        var right = await client.PostAsJsonAsync("/api/users/signin", new { email, password = Password, code = Totp.Code(key) });

        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
    }
}
