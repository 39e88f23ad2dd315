using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Ticketing.Web.Security;

/// <summary>Bound from <c>Identity</c>.</summary>
public sealed class SessionRevalidationOptions
{
    public const string Section = "Identity";

    /// <summary>
    /// How often an open Blazor circuit, and the auth cookie on requests, is checked against the
    /// account: a changed password or a revoked role ends the session within this time.
    /// </summary>
    public int RevalidationSeconds { get; set; } = 120;

    public TimeSpan RevalidationInterval => TimeSpan.FromSeconds(RevalidationSeconds > 0 ? RevalidationSeconds : 120);
}

/// <summary>
/// A Blazor Server circuit keeps the user it was opened with for as long as the tab stays open.
/// This checks that user against the database every <see cref="SessionRevalidationOptions.RevalidationSeconds"/>:
/// a deleted account, a new security stamp (password changed, sessions revoked) or a different set
/// of roles signs the circuit out, so an admin whose role was taken away loses the live dashboard.
/// A sign-out, a new stamp and a deletion sign the circuit out at once, without waiting for this
/// check (<see cref="SignedInCircuit"/>).
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopes,
    IOptions<IdentityOptions> identity,
    IOptions<SessionRevalidationOptions> session,
    IOptions<AdminSignInOptions> admin)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => session.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return await IsCurrentAsync(users, authenticationState.User, identity.Value.ClaimsIdentity, admin.Value.RequireTwoFactor);
    }

    /// <summary>Whether <paramref name="principal"/> still describes the account as it is now.</summary>
    internal static async Task<bool> IsCurrentAsync(UserManager<AppUser> users, ClaimsPrincipal principal, ClaimsIdentityOptions claims, bool adminRequiresTwoFactor = false)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null)
        {
            return false;
        }

        if (users.SupportsUserSecurityStamp && principal.FindFirstValue(claims.SecurityStampClaimType) != await users.GetSecurityStampAsync(user))
        {
            return false;
        }

        // Changing roles leaves the security stamp alone; the circuit must notice it all the same.
        var granted = principal.FindAll(claims.RoleClaimType).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var current = AdminSecondFactor.EffectiveRoles(await users.GetRolesAsync(user), principal, adminRequiresTwoFactor);
        return granted.SetEquals(current);
    }
}
