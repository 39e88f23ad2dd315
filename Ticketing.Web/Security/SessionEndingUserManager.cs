using Microsoft.EntityFrameworkCore;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Web.Hubs;

namespace Ticketing.Web.Security;

/// <summary>
/// Identity's user manager, which also ends the account's live sessions when it signs the account
/// out everywhere: every change that renews the security stamp (a password changed or reset, two-factor
/// sign-in turned on or off, a new authenticator key) saves the user through
/// <see cref="UpdateUserAsync"/>, and deleting the account goes through <see cref="DeleteAsync"/>.
/// Hub connections and circuits, which keep the identity they were opened with, are ended here at
/// once (<see cref="SignedInConnections"/>), and for a while the old stamp's cookies are refused on
/// this instance (<see cref="SignIns.RefuseEnded"/>); elsewhere they learn of it at their next check.
/// </summary>
internal sealed class SessionEndingUserManager(
    IUserStore<AppUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<AppUser> passwordHasher,
    IEnumerable<IUserValidator<AppUser>> userValidators,
    IEnumerable<IPasswordValidator<AppUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<AppUser>> logger,
    TicketingDbContext db,
    SignedInConnections signedIn)
    : UserManager<AppUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    // The answer of the request whose changes end sessions once it is out (EndSessionsOnceOut); this manager lives as long as that request.
    private HttpResponse? _answer;

    protected override async Task<IdentityResult> UpdateUserAsync(AppUser user)
    {
        // Most updates (a failed sign-in counted, an address confirmed) leave the stamp alone and are
        // not worth a message to the other instances. A user this context does not track may have
        // any stamp: ending "every session without the current stamp" only ends stale ones anyway.
        var entry = db.Entry(user);
        var stampChanged = entry.State == EntityState.Detached
            || !string.Equals(entry.Property(u => u.SecurityStamp).OriginalValue, user.SecurityStamp, StringComparison.Ordinal);

        var result = await base.UpdateUserAsync(user);
        if (result.Succeeded && stampChanged)
        {
            var end = new SessionsEnded(user.Id, SessionsEndedBy.NewSecurityStamp, user.SecurityStamp);
            if (_answer is { } answer)
            {
                answer.OnCompleted(() =>
                {
                    signedIn.End(end);
                    return Task.CompletedTask;
                });
            }
            else
            {
                signedIn.End(end);
            }
        }

        return result;
    }

    /// <summary>
    /// The account's authenticator key, made now if it has none, without a new security stamp. A key
    /// that two-factor sign-in does not use yet guards nothing, so opening the set-up page must sign no
    /// browser out; Identity's <see cref="UserManager{TUser}.ResetAuthenticatorKeyAsync"/> renews the
    /// stamp, which here ends every other session of the account, in every browser. Turning two-factor
    /// sign-in on, off, or replacing a key in use still renews it.
    /// </summary>
    public async Task<string> EnsureAuthenticatorKeyAsync(AppUser user)
    {
        if (await GetAuthenticatorKeyAsync(user) is { Length: > 0 } key)
        {
            return key;
        }

        await ((IUserAuthenticatorKeyStore<AppUser>)Store).SetAuthenticatorKeyAsync(user, GenerateNewAuthenticatorKey(), CancellationToken);
        var saved = await UpdateAsync(user);
        return saved.Succeeded && await GetAuthenticatorKeyAsync(user) is { Length: > 0 } made
            ? made
            : throw new InvalidOperationException($"No authenticator key could be saved: {string.Join(" ", saved.Errors.Select(e => e.Description))}");
    }

    /// <summary>
    /// For the changes of a request that re-issues this browser's cookie (a new password, two-factor
    /// sign-in turned on or off, a new authenticator key): the sessions they end end once
    /// <paramref name="answer"/>, which carries the new cookie, is out. The same browser's other tabs,
    /// signed out by the end, load again at once, and must carry the new cookie rather than the ended
    /// one, which is refused. Other browsers' sessions end a few milliseconds later than they would.
    /// </summary>
    public void EndSessionsOnceOut(HttpResponse answer) => _answer = answer;

    public override async Task<IdentityResult> DeleteAsync(AppUser user)
    {
        var result = await base.DeleteAsync(user);
        if (result.Succeeded)
        {
            // Before the deletion's transaction commits (AccountDeletion): should it roll back, the
            // connections ended early reconnect, which costs nothing.
            signedIn.End(new SessionsEnded(user.Id, SessionsEndedBy.AccountDeleted, null));
        }

        return result;
    }
}

internal static class SessionEnding
{
    /// <summary>See <see cref="SessionEndingUserManager.EnsureAuthenticatorKeyAsync"/>.</summary>
    public static Task<string> EnsureAuthenticatorKeyAsync(this UserManager<AppUser> users, AppUser user) =>
        ((SessionEndingUserManager)users).EnsureAuthenticatorKeyAsync(user);

    /// <summary>See <see cref="SessionEndingUserManager.EndSessionsOnceOut"/>; nothing outside a request or with another user manager.</summary>
    public static void EndSessionsOnceAnswered(this UserManager<AppUser> users, HttpContext? http)
    {
        if (users is SessionEndingUserManager ending && http is not null)
        {
            ending.EndSessionsOnceOut(http.Response);
        }
    }
}
