using Microsoft.AspNetCore.Authentication;

namespace Ticketing.Web.Security;

/// <summary>Bound from <c>Admin</c>.</summary>
public sealed class AdminSignInOptions
{
    public const string Section = "Admin";

    /// <summary>Administrators act as administrators only in a session signed in with a second factor.</summary>
    public bool RequireTwoFactor { get; set; }
}

/// <summary>
/// With <c>Admin:RequireTwoFactor</c>, the Admin role counts only in a session that was signed in with
/// a second factor (Identity's <c>amr=mfa</c> claim): an administrator signed in with the password
/// alone is an ordinary member, told to set up or use two-factor sign-in. Applied to the principal of
/// every request, so the dashboard, the export, the API and the live channel all see the same roles.
/// </summary>
internal sealed class AdminSecondFactor(IOptions<AdminSignInOptions> options) : IClaimsTransformation
{
    /// <summary>Identity adds it to a session signed in with a second factor.</summary>
    public const string AmrClaimType = "amr";

    public const string MultiFactor = "mfa";

    /// <summary>On a session whose Admin role is held back until it signs in with a second factor.</summary>
    public const string PendingClaimType = "ticketing:admin-needs-second-factor";

    public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (!options.Value.RequireTwoFactor || HasSecondFactor(principal) || !principal.IsInRole(Roles.Admin))
        {
            return Task.FromResult(principal);
        }

        var identities = principal.Identities.Select(identity =>
        {
            var kept = identity.Claims.Where(c => !(c.Type == identity.RoleClaimType && c.Value == Roles.Admin));
            return new ClaimsIdentity(kept, identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType);
        }).ToList();
        identities[0].AddClaim(new Claim(PendingClaimType, "true"));
        return Task.FromResult(new ClaimsPrincipal(identities));
    }

    public static bool HasSecondFactor(ClaimsPrincipal principal) => principal.HasClaim(AmrClaimType, MultiFactor);

    public static bool IsPending(ClaimsPrincipal principal) => principal.HasClaim(PendingClaimType, "true");

    /// <summary>The roles <paramref name="principal"/>'s session holds, of the account's <paramref name="roles"/>.</summary>
    public static IEnumerable<string> EffectiveRoles(IEnumerable<string> roles, ClaimsPrincipal principal, bool requireTwoFactor) =>
        requireTwoFactor && !HasSecondFactor(principal) ? roles.Where(r => r != Roles.Admin) : roles;

    /// <summary>
    /// Identity rebuilds the cookie's principal from the database when it revalidates the security
    /// stamp; how the session was signed in is not in the database, so the claim is carried over.
    /// </summary>
    public static Task KeepSecondFactorOnRefresh(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.CurrentPrincipal is { } current && HasSecondFactor(current) && context.NewPrincipal?.Identity is ClaimsIdentity fresh
            && !HasSecondFactor(context.NewPrincipal))
        {
            fresh.AddClaim(new Claim(AmrClaimType, MultiFactor));
        }

        return Task.CompletedTask;
    }
}
