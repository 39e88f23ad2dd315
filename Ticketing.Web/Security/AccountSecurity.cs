using Microsoft.AspNetCore.Authentication;
using Ticketing.Web.Accounts;

namespace Ticketing.Web.Security;

/// <summary>Two-factor sign-in, the admin's second factor, and what the auth cookie says about the account.</summary>
internal static class AccountSecurity
{
    /// <summary>How authenticator apps name the site next to the code.</summary>
    public const string AuthenticatorIssuer = "Ticketing";

    public static IServiceCollection AddAccountSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdminSignInOptions>().Bind(configuration.GetSection(AdminSignInOptions.Section)).ValidateOnStart();
        services.AddTransient<IClaimsTransformation, AdminSecondFactor>();
        services.Configure<SecurityStampValidatorOptions>(o => o.OnRefreshingPrincipal = async refresh =>
        {
            await AdminSecondFactor.KeepSecondFactorOnRefresh(refresh);
            await SignIns.KeepOnRefresh(refresh);
        });
        services.Configure<IdentityOptions>(o => o.Tokens.AuthenticatorIssuer = AuthenticatorIssuer);
        services.AddScoped<IUserClaimsPrincipalFactory<AppUser>, AccountClaimsFactory>();
        services.AddAccountEmails();
        return services;
    }
}

/// <summary>
/// Identity's claims, plus whether the email is confirmed (OpenID's <c>email_verified</c>), so that
/// every page can remind an unconfirmed account without a query. Identity rebuilds the claims when it
/// revalidates the cookie, and the confirmation page re-issues it at once.
/// </summary>
internal sealed class AccountClaimsFactory(UserManager<AppUser> users, RoleManager<IdentityRole<Guid>> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole<Guid>>(users, roles, options)
{
    public const string EmailVerifiedClaimType = "email_verified";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(EmailVerifiedClaimType, user.EmailConfirmed ? "true" : "false", ClaimValueTypes.Boolean));
        return identity;
    }

    /// <summary>False only when the cookie says so: an older cookie without the claim is not nagged.</summary>
    public static bool IsUnconfirmed(ClaimsPrincipal principal) => principal.HasClaim(EmailVerifiedClaimType, "false");
}
