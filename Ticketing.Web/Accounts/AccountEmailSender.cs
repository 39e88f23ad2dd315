using Ticketing.Infrastructure.Email;

namespace Ticketing.Web.Accounts;

/// <summary>
/// Identity's e-mail contract on the app's e-mail queue: the links go out like every other e-mail,
/// from the outbox handler's scope, saved with its delivery record and sent by the delivery loop.
/// The key allows one e-mail of each kind per account per <see cref="AccountOptions.EmailIntervalSeconds"/>,
/// however many requests arrive, so the site cannot be used to flood someone's mailbox.
/// </summary>
internal sealed class AccountEmailSender(EmailQueue queue, TimeProvider clock, IOptions<AccountOptions> options) : IEmailSender<AppUser>
{
    public Task SendConfirmationLinkAsync(AppUser user, string email, string confirmationLink) =>
        queue.EnqueueAsync(Key("EmailConfirmation", user), EmailTemplates.ConfirmAddress(email, confirmationLink), CancellationToken.None);

    public Task SendPasswordResetLinkAsync(AppUser user, string email, string resetLink) =>
        queue.EnqueueAsync(Key("PasswordReset", user), EmailTemplates.PasswordReset(email, resetLink, options.Value.PasswordResetLifetime), CancellationToken.None);

    /// <summary>The app's reset is a link (<see cref="SendPasswordResetLinkAsync"/>); nothing here asks for a code.</summary>
    public Task SendPasswordResetCodeAsync(AppUser user, string email, string resetCode) =>
        throw new NotSupportedException("Password resets are sent as links.");

    /// <summary><c>PasswordReset:{userId}:{window}</c>, the window being the interval the request falls in.</summary>
    private string Key(string kind, AppUser user)
    {
        var interval = options.Value.EmailIntervalSeconds;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var window = interval > 0 ? now / (interval * 1000L) : now;
        return $"{kind}:{user.Id}:{window}";
    }
}
