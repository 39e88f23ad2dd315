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
            signedIn.End(new SessionsEnded(user.Id, SessionsEndedBy.NewSecurityStamp, user.SecurityStamp));
        }

        return result;
    }

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
