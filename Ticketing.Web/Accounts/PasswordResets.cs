namespace Ticketing.Web.Accounts;

/// <param name="LinkInvalid">The link's token is wrong, expired or used: the same answer for all, and for an unknown account.</param>
public sealed record PasswordResetResult(bool Succeeded, bool LinkInvalid, IReadOnlyList<string> Errors);

/// <summary>
/// Setting a new password from a reset link, for the page and the API. The token is Identity's: it
/// carries the account's security stamp, which the reset renews, so a link works once and every
/// other link sent before it stops working too; it also expires (<see cref="AccountOptions.PasswordResetLifetime"/>).
/// </summary>
public sealed partial class PasswordResets(UserManager<AppUser> users, SignInLockouts lockouts, ILogger<PasswordResets> logger)
{
    public const string InvalidLink = "This link has expired or was already used. Ask for a new one.";

    public async Task<PasswordResetResult> ResetAsync(string? userId, string? encodedToken, string password, CancellationToken cancellationToken = default)
    {
        var token = AccountLinks.Decode(encodedToken);
        var user = token is not null && Guid.TryParse(userId, out var id) ? await users.FindByIdAsync(id.ToString()) : null;
        if (user is null)
        {
            return new PasswordResetResult(false, true, [InvalidLink]);
        }

        // Identity checks the token before the password, so a password it refuses leaves the link usable.
        var result = await users.ResetPasswordAsync(user, token!, password);
        if (!result.Succeeded)
        {
            return result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))
                ? new PasswordResetResult(false, true, [InvalidLink])
                : new PasswordResetResult(false, false, result.Errors.Select(e => e.Description).Distinct().ToList());
        }

        if (!user.EmailConfirmed)
        {
            // The link reached the address: that confirms it as well as a confirmation link would.
            user.EmailConfirmed = true;
            await users.UpdateAsync(user);
        }

        // Failed sign-ins before the reset were with the old password; they lock nobody out now.
        await lockouts.ForgetAsync(user.Id, cancellationToken);
        LogReset(user.Id);
        return new PasswordResetResult(true, false, []);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} chose a new password with a reset link")]
    private partial void LogReset(Guid userId);
}
