using Microsoft.AspNetCore.Identity;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Web.Security;

public enum PasswordSignInOutcome
{
    Succeeded,

    /// <summary>Unknown email or wrong password: callers give both the same answer.</summary>
    Invalid,

    LockedOut,
    NotAllowed,
}

/// <summary>
/// Signing in with email and password, for the API and the sign-in form alike. Failures lock the
/// account per client address (<see cref="SignInLockouts"/>), never for everyone, and each attempt
/// is logged with the client's address.
/// </summary>
public sealed partial class PasswordSignIn(
    SignInManager<AppUser> signInManager,
    SignInLockouts lockouts,
    UnknownAccountSignIn unknownAccount,
    ILogger<PasswordSignIn> logger)
{
    /// <summary>No account can have a longer email (RFC 5321); longer input is answered without a lookup.</summary>
    public const int MaxEmailLength = 254;

    public async Task<(PasswordSignInOutcome Outcome, AppUser? User)> SignInAsync(
        string email, string password, bool isPersistent, HttpContext http, CancellationToken cancellationToken = default)
    {
        var client = ClientAddress.Of(http);
        var user = email.Length <= MaxEmailLength && password.Length <= PasswordLengthValidator.MaxLength
            ? await signInManager.UserManager.FindByEmailAsync(email)
            : null;
        if (user is null)
        {
            unknownAccount.CheckAgainstDecoy(password);
            LogUnknownAccount(client);
            return (PasswordSignInOutcome.Invalid, null);
        }

        // An account-wide lock is one an admin set on purpose; failed attempts only ever lock a client out.
        if (await signInManager.UserManager.IsLockedOutAsync(user) || await lockouts.IsLockedOutAsync(user.Id, client, cancellationToken))
        {
            LogLockedOut(user.Id, client);
            return (PasswordSignInOutcome.LockedOut, user);
        }

        var result = await signInManager.PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure: false);
        if (result.Succeeded)
        {
            await lockouts.ResetAsync(user.Id, client, cancellationToken);
            LogSignedIn(user.Id, client);
            return (PasswordSignInOutcome.Succeeded, user);
        }

        if (result.IsNotAllowed)
        {
            return (PasswordSignInOutcome.NotAllowed, user);
        }

        await lockouts.RecordFailureAsync(user.Id, client, cancellationToken);
        LogWrongPassword(user.Id, client);
        return (PasswordSignInOutcome.Invalid, user);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} signed in from {ClientAddress}")]
    private partial void LogSignedIn(Guid userId, string clientAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed sign-in to user {UserId} from {ClientAddress}: wrong password")]
    private partial void LogWrongPassword(Guid userId, string clientAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused sign-in to user {UserId} from {ClientAddress}: locked out after repeated failures")]
    private partial void LogLockedOut(Guid userId, string clientAddress);

    [LoggerMessage(Level = LogLevel.Information, Message = "Failed sign-in from {ClientAddress}: no account has that email")]
    private partial void LogUnknownAccount(string clientAddress);
}
