using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Ticketing.Web.Hubs;

namespace Ticketing.Web.Security;

/// <summary>
/// Gives each sign-in a random id, so that a sign-out can end what that sign-in opened (its hub
/// connections and circuits) and nothing of the same account's other sign-ins. The id is a claim of the cookie's
/// principal, where the hub reads it whatever the transport, and an item of its properties, which
/// Identity keeps when it re-issues the cookie after a password change (<c>RefreshSignInAsync</c>
/// builds a new principal from the database). A cookie issued before sign-ins had ids has none:
/// its connections count as one sign-in of the account.
/// </summary>
internal static class SignIns
{
    public const string ClaimType = "ticketing:sign-in";

    private const string PropertyKey = ".ticketing.sign-in";

    public static string? IdOf(ClaimsPrincipal principal) => principal.FindFirstValue(ClaimType);

    /// <summary>
    /// On every cookie sign-in: a re-issued cookie keeps its id. A new sign-in over a browser's
    /// current one replaces that one's cookie, so it takes the place of that sign-in: the same
    /// account carries its id on (its open tabs are its own, and its next sign-out ends them too);
    /// another account (someone else signing in on a shared computer) ends it, as a sign-out would,
    /// so its open tabs stop showing the first account's orders. Otherwise a new sign-in gets a new id.
    /// </summary>
    public static Task OnSigningIn(CookieSigningInContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity)
        {
            return Task.CompletedTask;
        }

        var id = IdOf(context.Principal)
            ?? (context.Properties.Items.TryGetValue(PropertyKey, out var kept) && !string.IsNullOrEmpty(kept) ? kept : null)
            ?? TakeOverCurrent(context.HttpContext, context.Principal.UserId())
            ?? NewId();
        context.Properties.Items[PropertyKey] = id;
        if (IdOf(context.Principal) is null)
        {
            identity.AddClaim(new Claim(ClaimType, id));
        }

        return Task.CompletedTask;
    }

    /// <summary>The id of the browser's current sign-in if it is the same account's; otherwise that sign-in ends, once this response is out, and there is none.</summary>
    private static string? TakeOverCurrent(HttpContext http, Guid? signingIn)
    {
        var current = http.User;
        if (current.UserId() is not { } userId)
        {
            return null;
        }

        if (userId == signingIn)
        {
            return IdOf(current);
        }

        // Once the response with the new cookie has gone out: the tabs that end reload at once, and
        // must carry the new cookie, not the ended one (which would be refused and deleted).
        var connections = http.RequestServices.GetRequiredService<SignedInConnections>();
        var ended = new SessionsEnded(userId, SessionsEndedBy.SignOut, IdOf(current));
        http.Response.OnCompleted(() =>
        {
            connections.End(ended);
            return Task.CompletedTask;
        });
        return null;
    }

    /// <summary>
    /// On every cookie sign-out (the API's, the sign-out page's, after deleting the account): the
    /// hub connections this sign-in opened end, here and on the other instances. An anonymous caller
    /// has nothing to end.
    /// </summary>
    public static Task OnSigningOut(CookieSigningOutContext context)
    {
        var user = context.HttpContext.User;
        if (user.UserId() is { } userId)
        {
            context.HttpContext.RequestServices.GetRequiredService<SignedInConnections>()
                .End(new SessionsEnded(userId, SessionsEndedBy.SignOut, IdOf(user)));
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Before the cookie's own checks: a cookie whose session this instance ended a moment ago
    /// (<see cref="SignedInConnections"/>: signed out, a new security stamp, the account deleted) is
    /// refused. The browser's other tabs are signed out the moment the session ends, before the
    /// sign-out's response has deleted the cookie, and must not find themselves still signed in on the
    /// page they load again; a cookie with an old stamp would otherwise pass until its next check. The
    /// memory lasts <see cref="SessionRevalidationOptions.RevalidationSeconds"/>, which is also when the
    /// stamp check of a cookie issued before the change comes due: after it, only a signed-out cookie
    /// that a non-browser client kept is valid again, until it expires (decision 35).
    /// </summary>
    /// <remarks>
    /// Refused, not deleted: the browser may already hold the cookie the change issued (a new password,
    /// a new authenticator key, another account signing in), and the answer to a request that left with
    /// the old one (a tab's, a beacon's) would delete that new cookie and sign the browser out.
    /// </remarks>
    public static Func<CookieValidatePrincipalContext, Task> RefuseEnded(Func<CookieValidatePrincipalContext, Task> next) => async context =>
    {
        if (context.Principal?.UserId() is { } userId
            && context.HttpContext.RequestServices.GetRequiredService<SignedInConnections>().IsRecentlyEnded(userId, context.Principal))
        {
            context.RejectPrincipal();
            return;
        }

        await next(context);
    };

    /// <summary>
    /// Identity rebuilds the cookie's principal from the database when it revalidates the security
    /// stamp; the sign-in is the same one, so its id is carried over.
    /// </summary>
    public static Task KeepOnRefresh(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.CurrentPrincipal is { } current && IdOf(current) is { } id && context.NewPrincipal?.Identity is ClaimsIdentity fresh
            && IdOf(context.NewPrincipal) is null)
        {
            fresh.AddClaim(new Claim(ClaimType, id));
        }

        return Task.CompletedTask;
    }

    private static string NewId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
}
