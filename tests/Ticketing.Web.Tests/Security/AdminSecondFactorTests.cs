using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Identity;
using Ticketing.Testing;
using Ticketing.Web.Api;
using Ticketing.Web.Security;
using Ticketing.Web.Tests.Api;

namespace Ticketing.Web.Tests.Security;

/// <summary>
/// <c>Admin:RequireTwoFactor</c>: an administrator signed in with the password alone is an ordinary
/// member everywhere (the API, the dashboard, an open circuit); signed in with the second factor, an
/// administrator again.
/// </summary>
public sealed class AdminSecondFactorTests : IAsyncLifetime
{
    private readonly TicketingApp _app = new(settings: AppFixture.Settings(("Admin:RequireTwoFactor", "true"), ("Identity:RevalidationSeconds", "1")));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AnAdminWithoutTwoFactor_SignsInAsAMember_AndIsRefusedAdminWork()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var (buyer, _, _) = await _app.SignUpAsync();
        var order = await buyer.ReserveAsync((await seller.ListTicketAsync()).Id);

        using var admin = await _app.SignInAdminAsync();

        Assert.Empty(await RolesOfAsync(admin));
        await (await admin.DeleteAsync($"/api/orders/{order.Id}")).AssertErrorAsync(HttpStatusCode.Unauthorized);
        var dashboard = await admin.GetAsync("/admin");
        Assert.False(dashboard.StatusCode == HttpStatusCode.OK && (await dashboard.Content.ReadAsStringAsync()).Contains("/admin/export.csv", StringComparison.Ordinal));
        var export = await admin.GetAsync("/admin/export.csv");
        Assert.Equal(HttpStatusCode.Redirect, export.StatusCode);
        Assert.StartsWith("/account/access-denied", export.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal("created", (await buyer.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task AnAdminSignedInWithTheirCode_IsAnAdmin()
    {
        var adminId = await AdminIdAsync();
        var (key, _) = await _app.TurnOnTwoFactorAsync(adminId);
        using var admin = _app.CreateUserClient();

        var first = await admin.PostAsJsonAsync("/api/users/signin", new { email = TicketingApp.AdminEmail, password = TicketingApp.AdminPassword });
        var second = await admin.PostAsJsonAsync("/api/users/signin", new { email = TicketingApp.AdminEmail, password = TicketingApp.AdminPassword, code = Totp.Code(key) });

        await first.AssertErrorAsync(HttpStatusCode.Unauthorized, UsersApi.TwoFactorRequired, "code");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal([Roles.Admin], await RolesOfAsync(admin));
        Assert.Contains("/admin/export.csv", await admin.GetStringAsync("/admin"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOpenCircuitOfAnAdminWithoutTwoFactor_StaysSignedInAsAMember_AcrossRevalidations()
    {
        ClaimsPrincipal principal;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>();
            var admin = (await signIn.UserManager.FindByEmailAsync(TicketingApp.AdminEmail))!;
            principal = await scope.ServiceProvider.GetRequiredService<IClaimsTransformation>().TransformAsync(await signIn.CreateUserPrincipalAsync(admin));
        }

        Assert.False(principal.IsInRole(Roles.Admin));
        Assert.True(AdminSecondFactor.IsPending(principal));
        var circuit = _app.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        ((IHostEnvironmentAuthenticationStateProvider)circuit).SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));

        await Task.Delay(TimeSpan.FromSeconds(3));

        var user = (await circuit.GetAuthenticationStateAsync()).User;
        Assert.True(user.Identity?.IsAuthenticated);
        Assert.False(user.IsInRole(Roles.Admin));
    }

    private async Task<Guid> AdminIdAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(TicketingApp.AdminEmail))!.Id;
    }

    private static async Task<List<string?>> RolesOfAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/users/currentuser")).GetProperty("currentUser").GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ToList();
}
