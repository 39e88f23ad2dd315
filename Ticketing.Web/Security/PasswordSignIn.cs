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

    /// <summary>The password was right and the account signs in with a second factor too: ask for the code.</summary>
    TwoFactorRequired,

    /// <summary>The authenticator code or recovery code was wrong (or used up).</summary>
    InvalidSecondFactor,

    /// <summary>The second step came without a first one, or too late (the two-factor cookie is gone): start again.</summary>
    SignInExpired,
}

/// <summary>The second factor: a code from the authenticator app, or one of the recovery codes.</summary>
public sealed record SecondFactor(string Code, bool IsRecoveryCode = false)
{
    /// <summary>As people type them: "123 456", "abcd-1234"; Identity compares without spaces.</summary>
    public string Normalized => Code.Replace(" ", string.Empty, StringComparison.Ordinal).Trim();
}

/// <summary>
/// Signing in with email and password, for the API and the sign-in form alike, and the second factor
/// after it. Failed passwords lock the account per client address (<see cref="SignInLockouts"/>),
/// never for everyone, and each attempt is logged with the client's address. A wrong second factor
/// counts towards Identity's own account-wide lock: only someone who knows the password gets that far.
/// </summary>
public sealed partial class PasswordSignIn(
    SignInManager<AppUser> signInManager,
    SignInLockouts lockouts,
    UnknownAccountSignIn unknownAccount,
    ILogger<PasswordSignIn> logger)
{
    /// <summary>No account can have a longer email (RFC 5321); longer input is answered without a lookup.</summary>
    public const int MaxEmailLength = 254;

    /// <summary>Longer than any authenticator or recovery code; longer input is wrong without a check.</summary>
    public const int MaxCodeLength = 64;

    /// <param name="secondFactor">
    /// For an account with two-factor sign-in, the code that completes this same call (the API's
    /// second call); without it the answer is <see cref="PasswordSignInOutcome.TwoFactorRequired"/>
    /// and Identity's two-factor cookie carries the first step to <see cref="CompleteTwoFactorAsync"/>.
    /// </param>
    public async Task<(PasswordSignInOutcome Outcome, AppUser? User)> SignInAsync(
        string email, string password, bool isPersistent, HttpContext http, SecondFactor? secondFactor = null, CancellationToken cancellationToken = default)
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

        // An account-wide lock is one an admin set on purpose, or wrong second factors; failed
        // passwords only ever lock a client out.
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

        if (result.RequiresTwoFactor)
        {
            await lockouts.ResetAsync(user.Id, client, cancellationToken);
            if (secondFactor is null)
            {
                LogSecondFactorRequired(user.Id, client);
                return (PasswordSignInOutcome.TwoFactorRequired, user);
            }

            // Identity keeps the first step for the rest of this request, so the code completes it now.
            return await CompleteTwoFactorAsync(secondFactor, isPersistent, http, cancellationToken);
        }

        if (result.IsNotAllowed)
        {
            return (PasswordSignInOutcome.NotAllowed, user);
        }

        await lockouts.RecordFailureAsync(user.Id, client, cancellationToken);
        LogWrongPassword(user.Id, client);
        return (PasswordSignInOutcome.Invalid, user);
    }

    /// <summary>
    /// The second step of a two-factor sign-in: the user whose password was checked is the one in
    /// Identity's two-factor cookie (or, within the same request, the one just checked). On success
    /// the auth cookie carries the <c>amr=mfa</c> claim.
    /// </summary>
    public async Task<(PasswordSignInOutcome Outcome, AppUser? User)> CompleteTwoFactorAsync(
        SecondFactor secondFactor, bool isPersistent, HttpContext http, CancellationToken cancellationToken = default)
    {
        var client = ClientAddress.Of(http);
        var user = await signInManager.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return (PasswordSignInOutcome.SignInExpired, null);
        }

        if (await lockouts.IsLockedOutAsync(user.Id, client, cancellationToken))
        {
            LogLockedOut(user.Id, client);
            return (PasswordSignInOutcome.LockedOut, user);
        }

        var code = secondFactor.Normalized;
        if (code.Length is 0 or > MaxCodeLength)
        {
            return (PasswordSignInOutcome.InvalidSecondFactor, user);
        }

        var result = secondFactor.IsRecoveryCode
            ? await signInManager.TwoFactorRecoveryCodeSignInAsync(code)
            : await signInManager.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient: false);
        if (result.Succeeded)
        {
            LogSignedInWithSecondFactor(user.Id, client, secondFactor.IsRecoveryCode ? "a recovery code" : "an authenticator code");
            return (PasswordSignInOutcome.Succeeded, user);
        }

        if (result.IsLockedOut)
        {
            LogLockedOut(user.Id, client);
            return (PasswordSignInOutcome.LockedOut, user);
        }

        LogWrongSecondFactor(user.Id, client);
        return (PasswordSignInOutcome.InvalidSecondFactor, user);
    }

    /// <summary>
    /// Asks a signed-in user for their password again before something final (deleting the account).
    /// Wrong answers count towards the same per-client lock as sign-ins, so this is no way around it.
    /// </summary>
    public async Task<PasswordSignInOutcome> ConfirmPasswordAsync(AppUser user, string password, HttpContext http, CancellationToken cancellationToken = default)
    {
        var client = ClientAddress.Of(http);
        if (await lockouts.IsLockedOutAsync(user.Id, client, cancellationToken))
        {
            LogLockedOut(user.Id, client);
            return PasswordSignInOutcome.LockedOut;
        }

        if (password.Length is > 0 and <= PasswordLengthValidator.MaxLength && await signInManager.UserManager.CheckPasswordAsync(user, password))
        {
            await lockouts.ResetAsync(user.Id, client, cancellationToken);
            return PasswordSignInOutcome.Succeeded;
        }

        await lockouts.RecordFailureAsync(user.Id, client, cancellationToken);
        LogWrongPassword(user.Id, client);
        return PasswordSignInOutcome.Invalid;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} signed in from {ClientAddress}")]
    private partial void LogSignedIn(Guid userId, string clientAddress);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} signed in from {ClientAddress} with {SecondFactor}")]
    private partial void LogSignedInWithSecondFactor(Guid userId, string clientAddress, string secondFactor);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} from {ClientAddress}: password right, second factor asked for")]
    private partial void LogSecondFactorRequired(Guid userId, string clientAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed sign-in to user {UserId} from {ClientAddress}: wrong password")]
    private partial void LogWrongPassword(Guid userId, string clientAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed sign-in to user {UserId} from {ClientAddress}: wrong second factor")]
    private partial void LogWrongSecondFactor(Guid userId, string clientAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused sign-in to user {UserId} from {ClientAddress}: locked out after repeated failures")]
    private partial void LogLockedOut(Guid userId, string clientAddress);

    [LoggerMessage(Level = LogLevel.Information, Message = "Failed sign-in from {ClientAddress}: no account has that email")]
    private partial void LogUnknownAccount(string clientAddress);
}
