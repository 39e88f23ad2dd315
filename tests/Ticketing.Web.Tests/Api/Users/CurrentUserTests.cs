using System.Net;
using System.Text.Json;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Users;

public sealed class CurrentUserTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task CurrentUser_WhenSignedIn_ReturnsIdEmailAndNoRoles()
    {
        var (client, id, email) = await _app.SignUpAsync();

        var response = await client.GetAsync("/api/users/currentuser");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = (await response.ReadJsonAsync()).GetProperty("currentUser");
        Assert.Equal(id, user.GetProperty("id").GetGuid());
        Assert.Equal(email, user.GetProperty("email").GetString());
        Assert.Equal(JsonValueKind.Array, user.GetProperty("roles").ValueKind);
        Assert.Empty(user.GetProperty("roles").EnumerateArray());
    }

    [Fact]
    public async Task CurrentUser_WhenAdmin_ListsTheAdminRole()
    {
        using var admin = await _app.SignInAdminAsync();

        var user = (await (await admin.GetAsync("/api/users/currentuser")).ReadJsonAsync()).GetProperty("currentUser");

        Assert.Equal(TicketingApp.AdminEmail, user.GetProperty("email").GetString());
        Assert.Equal(["Admin"], user.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task CurrentUser_WhenAnonymous_ReturnsNull()
    {
        using var client = _app.CreateUserClient();

        var response = await client.GetAsync("/api/users/currentuser");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"currentUser":null}""", await response.Content.ReadAsStringAsync());
    }
}
