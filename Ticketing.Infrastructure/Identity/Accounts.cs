using System.Net.Mail;
using Microsoft.AspNetCore.Identity;

namespace Ticketing.Infrastructure.Identity;

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

/// <summary>What went wrong with a sign-up, on the field it concerns.</summary>
public sealed record AccountError(string Message, string Field);

/// <summary>A sign-up: the new account, signed in, or why not.</summary>
public sealed record SignUpResult(AppUser? User, IReadOnlyList<AccountError> Errors)
{
    public const string EmailInUseMessage = "Email in use";

    public bool Succeeded => User is not null;

    /// <summary>Someone has the address already, maybe since a moment ago: a sign-up at the same time won.</summary>
    public bool EmailInUse => Errors.Any(e => e.Message == EmailInUseMessage);
}

/// <summary>
/// Signing up, and signing in with email and password, for the API and the account pages alike,
/// and the second factor after it. Failed passwords lock the account per client address (<see cref="SignInLockouts"/>),
/// never for everyone, and each attempt is logged with the client's address. A wrong second factor
/// counts towards Identity's own account-wide lock: only someone who knows the password gets that far.
/// </summary>
[Scoped]
public sealed partial class Accounts(
    SignInManager<AppUser> signInManager,
    SignInLockouts lockouts,
    UnknownAccountSignIn unknownAccount,
    ILogger<Accounts> logger)
{
    /// <summary>No account can have a longer email (RFC 5321); longer input is answered without a lookup.</summary>
    public const int MaxEmailLength = 254;

    /// <summary>Longer than any authenticator or recovery code; longer input is wrong without a check.</summary>
    public const int MaxCodeLength = 64;

    public const string InvalidEmailMessage = "Email must be valid";

    private const string EmailField = "email";
    private const string PasswordField = "password";

    /// <summary>
    /// Creates the account and signs it in. Emails compare case-insensitively; a sign-up that loses
    /// the race for its address to one at the same moment gets "Email in use" like any later one.
    /// </summary>
    public async Task<SignUpResult> SignUpAsync(string email, string password, CancellationToken cancellationToken = default)
    {
        email = email.Trim();
        var errors = new List<AccountError>();
        if (!IsValidEmail(email))
        {
            errors.Add(new AccountError(InvalidEmailMessage, EmailField));
        }

        if (password.Length is < PasswordLengthValidator.MinLength or > PasswordLengthValidator.MaxLength)
        {
            errors.Add(new AccountError(PasswordLengthValidator.Message, PasswordField));
        }

        if (errors.Count > 0)
        {
            return new SignUpResult(null, errors);
        }

        var users = signInManager.UserManager;
        if (await users.FindByEmailAsync(email) is not null)
        {
            return EmailInUse();
        }

        cancellationToken.ThrowIfCancellationRequested();
        var user = new AppUser { UserName = email, Email = email };
        IdentityResult created;
        try
        {
            created = await users.CreateAsync(user, password);
        }
        catch (DbUpdateException) when (!cancellationToken.IsCancellationRequested)
        {
            // Two sign-ups with one email both passed the check above; the unique user name decided.
            if (await users.FindByEmailAsync(email) is null)
            {
                throw;
            }

            LogLostSignUpRace();
            return EmailInUse();
        }

        if (!created.Succeeded)
        {
            return new SignUpResult(null, created.Errors.Select(Describe).Distinct().ToList());
        }

        await signInManager.SignInAsync(user, isPersistent: false);
        return new SignUpResult(user, []);
    }

    /// <summary>A plain address (no display name) whose domain has a dot, as the original services required.</summary>
    public static bool IsValidEmail(string email) =>
        email.Length is > 0 and <= MaxEmailLength
        && MailAddress.TryCreate(email, out var address)
        && address.Address == email
        && address.DisplayName.Length == 0
        && address.Host.Contains('.')
        && !address.Host.StartsWith('.')
        && !address.Host.EndsWith('.');

    private static SignUpResult EmailInUse() => new(null, [new AccountError(SignUpResult.EmailInUseMessage, EmailField)]);

    private static AccountError Describe(IdentityError error) => error.Code switch
    {
        nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName) => new AccountError(SignUpResult.EmailInUseMessage, EmailField),
        _ when error.Code.StartsWith("Password", StringComparison.Ordinal) => new AccountError(error.Description, PasswordField),

        // The user name is the email, and Identity allows fewer characters in names than RFC 5322 in addresses.
        _ => new AccountError(InvalidEmailMessage, EmailField),
    };

    /// <param name="secondFactor">
    /// For an account with two-factor sign-in, the code that completes this same call (the API's
    /// second call); without it the answer is <see cref="PasswordSignInOutcome.TwoFactorRequired"/>
    /// and Identity's two-factor cookie carries the first step to <see cref="CompleteTwoFactorAsync"/>.
    /// </param>
    /// <param name="client">The caller's address: failures lock this client out of the account, not everyone.</param>
    public async Task<(PasswordSignInOutcome Outcome, AppUser? User)> SignInAsync(
        string email, string password, bool isPersistent, string client, SecondFactor? secondFactor = null, CancellationToken cancellationToken = default)
    {
        email = email.Trim();
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
            return await CompleteTwoFactorAsync(secondFactor, isPersistent, client, cancellationToken);
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
        SecondFactor secondFactor, bool isPersistent, string client, CancellationToken cancellationToken = default)
    {
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
    public async Task<PasswordSignInOutcome> ConfirmPasswordAsync(AppUser user, string password, string client, CancellationToken cancellationToken = default)
    {
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

    [LoggerMessage(Level = LogLevel.Information, Message = "A sign-up lost the race for its email to one at the same moment")]
    private partial void LogLostSignUpRace();

    [LoggerMessage(Level = LogLevel.Information, Message = "Failed sign-in from {ClientAddress}: no account has that email")]
    private partial void LogUnknownAccount(string clientAddress);
}
