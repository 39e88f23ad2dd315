using Microsoft.AspNetCore.Authentication.Cookies;

namespace Ticketing.Web.Security;

/// <summary>
/// Identity checks a cookie's security stamp against the database once per
/// <see cref="SecurityStampValidatorOptions.ValidationInterval"/>, but to find that out it builds the
/// validator first: a sign-in manager, a user manager, a user store and a database context, on every
/// authenticated request. This asks the cookie's issue time first and builds the validator only when
/// a check is due, with the same rule the validator applies itself.
/// </summary>
internal static class SecurityStampCheck
{
    public static Func<CookieValidatePrincipalContext, Task> WhenDue(Func<CookieValidatePrincipalContext, Task> validate) => context =>
    {
        var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value;
        var issuedUtc = context.Properties.IssuedUtc;
        var now = (options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        var due = issuedUtc is null || now - issuedUtc.Value > options.ValidationInterval;
        return due ? validate(context) : Task.CompletedTask;
    };
}
