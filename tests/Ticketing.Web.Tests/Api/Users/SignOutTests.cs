using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Users;

public sealed class SignOutTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task SignOut_WhenSignedIn_Returns200EmptyObjectAndClearsTheCookie()
    {
        var (_, _, email) = await _app.SignUpAsync();
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var signIn = await client.PostAsJsonAsync("/api/users/signin", new { email, password = "correct-horse-battery" });
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ticketing.auth=", StringComparison.Ordinal)).Split(';')[0];

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/users/signout") { Content = JsonContent.Create(new { }) };
        request.Headers.Add("Cookie", cookie);
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        var cleared = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ticketing.auth=", StringComparison.Ordinal));
        Assert.StartsWith("ticketing.auth=;", cleared, StringComparison.Ordinal);
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignOut_ThenCurrentUser_IsNull()
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.PostAsJsonAsync("/api/users/signout", new { });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/users/currentuser");
        Assert.Equal(JsonValueKind.Null, me.GetProperty("currentUser").ValueKind);
    }

    [Fact]
    public async Task SignOut_WithAJsonBody_Returns200()
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.PostAsJsonAsync("/api/users/signout", new { });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SignOut_WithAJsonContentTypeAndNoBody_Returns200()
    {
        var (client, _, _) = await _app.SignUpAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/users/signout") { Content = new ByteArrayContent([]) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/users/currentuser");
        Assert.Equal(JsonValueKind.Null, me.GetProperty("currentUser").ValueKind);
    }

    [Fact]
    public async Task SignOut_WithoutJson_Returns415AndKeepsTheSession()
    {
        var (client, _, email) = await _app.SignUpAsync();

        var bare = await client.PostAsync("/api/users/signout", null);
        var form = await client.PostAsync("/api/users/signout", new FormUrlEncodedContent([]));

        await bare.AssertErrorAsync(HttpStatusCode.UnsupportedMediaType);
        await form.AssertErrorAsync(HttpStatusCode.UnsupportedMediaType);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/users/currentuser");
        Assert.Equal(email, me.GetProperty("currentUser").GetProperty("email").GetString());
    }

    [Fact]
    public async Task SignOut_WhenAnonymous_Returns200()
    {
        using var client = _app.CreateUserClient();

        var response = await client.PostAsJsonAsync("/api/users/signout", new { });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
    }
}
