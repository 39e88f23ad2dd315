using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Identity;
using Ticketing.Testing;
using Ticketing.Web.Security;

namespace Ticketing.Web.Tests.Security;

/// <summary>
/// An open Blazor circuit keeps the user it started with; the app's authentication state provider
/// checks that user against the account every <c>Identity:RevalidationSeconds</c> (one second
/// here) and signs the circuit out once the account changed under it.
/// </summary>
public sealed class CircuitRevalidationTests : IAsyncLifetime
{
    private static readonly TimeSpan WithinAFewIntervals = TimeSpan.FromSeconds(10);

    private readonly TicketingApp _app = new(settings: new Dictionary<string, string?> { ["Identity:RevalidationSeconds"] = "1" });

    [Fact]
    public async Task RevokingAdmin_SignsTheAdminsOpenCircuitOut()
    {
        var (circuit, admin) = await OpenCircuitAsync(TicketingApp.AdminEmail);
        Assert.True((await circuit.GetAuthenticationStateAsync()).User.IsInRole(Roles.Admin));

        await ChangeAccountAsync(admin, (users, account) => users.RemoveFromRoleAsync(account, Roles.Admin));

        await WaitUntilSignedOutAsync(circuit);
    }

    [Fact]
    public async Task ChangingThePassword_SignsTheOpenCircuitOut()
    {
        var (circuit, admin) = await OpenCircuitAsync(TicketingApp.AdminEmail);

        await ChangeAccountAsync(admin, (users, account) => users.ChangePasswordAsync(account, TicketingApp.AdminPassword, "a brand new passphrase"));

        await WaitUntilSignedOutAsync(circuit);
    }

    [Fact]
    public async Task AnUnchangedAccount_StaysSignedInAcrossManyRevalidations()
    {
        var (circuit, _) = await OpenCircuitAsync(TicketingApp.AdminEmail);

        await Task.Delay(TimeSpan.FromSeconds(4));

        var user = (await circuit.GetAuthenticationStateAsync()).User;
        Assert.True(user.Identity?.IsAuthenticated);
        Assert.True(user.IsInRole(Roles.Admin));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A circuit's own scope and provider, holding the principal the auth cookie would carry.</summary>
    private async Task<(AuthenticationStateProvider Circuit, AppUser User)> OpenCircuitAsync(string email)
    {
        ClaimsPrincipal principal;
        AppUser user;
        await using (var signIn = _app.Services.CreateAsyncScope())
        {
            var manager = signIn.ServiceProvider.GetRequiredService<SignInManager<AppUser>>();
            user = (await manager.UserManager.FindByEmailAsync(email))!;
            principal = await manager.CreateUserPrincipalAsync(user);
        }

        var circuit = _app.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        Assert.IsType<IdentityRevalidatingAuthenticationStateProvider>(circuit);
        ((IHostEnvironmentAuthenticationStateProvider)circuit).SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        return (circuit, user);
    }

    /// <summary>Changes the account as another request would: its own scope, a fresh read of the user.</summary>
    private async Task ChangeAccountAsync(AppUser user, Func<UserManager<AppUser>, AppUser, Task<IdentityResult>> change)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var fresh = (await users.FindByIdAsync(user.Id.ToString()))!;
        var result = await change(users, fresh);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
    }

    private static Task WaitUntilSignedOutAsync(AuthenticationStateProvider circuit) =>
        TicketingApp.WaitUntilAsync(
            async () => (await circuit.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated != true,
            WithinAFewIntervals,
            "the open circuit is signed out");
}
