using Ticketing.Domain.Identity;
using Ticketing.Infrastructure.Email;
using Ticketing.Infrastructure.Events;

namespace Ticketing.Web.Accounts;

// The account e-mails go out from these outbox handlers, after the request that caused them has
// been answered. They queue the e-mail on the handler's scope (through Identity's IEmailSender<AppUser>,
// which AccountEmailSender puts on the e-mail queue), saved with the handler's delivery record: one
// e-mail per event and recipient. Identity makes the tokens.

/// <summary>
/// A new account is welcomed, with the link that confirms its address in the same e-mail (the
/// account the app seeds is confirmed by the operator's configuration and gets no link).
/// </summary>
internal sealed partial class WelcomeOnUserCreated(UserManager<AppUser> users, EmailQueue queue, AccountLinks links, ILogger<WelcomeOnUserCreated> logger)
    : CommittedEventHandler<UserCreated>
{
    protected override async Task HandleAsync(UserCreated e, CancellationToken cancellationToken)
    {
        LogSignedUp(e.AggregateId);
        var user = await users.FindByIdAsync(e.AggregateId.ToString());
        if (user?.Email is not { Length: > 0 } address)
        {
            return;
        }

        var link = user.EmailConfirmed ? null : links.ConfirmEmail(user.Id, await users.GenerateEmailConfirmationTokenAsync(user));
        await queue.EnqueueAsync(Recipients.Key(e, "user"), EmailTemplates.Welcome(address, link), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} signed up")]
    private partial void LogSignedUp(Guid userId);
}

/// <summary>The account asked for its confirmation link again.</summary>
internal sealed class SendConfirmationOnRequest(UserManager<AppUser> users, IEmailSender<AppUser> email, AccountLinks links)
    : CommittedEventHandler<EmailConfirmationRequested>
{
    protected override Task HandleAsync(EmailConfirmationRequested e, CancellationToken cancellationToken) =>
        ConfirmationLinks.SendAsync(users, email, links, e.UserId);
}

/// <summary>A reset link, if an account uses the address; nothing otherwise (the requester got the same answer either way).</summary>
internal sealed partial class SendPasswordResetOnRequest(
    UserManager<AppUser> users, IEmailSender<AppUser> email, AccountLinks links, ILogger<SendPasswordResetOnRequest> logger)
    : CommittedEventHandler<PasswordResetRequested>
{
    protected override async Task HandleAsync(PasswordResetRequested e, CancellationToken cancellationToken)
    {
        var user = string.IsNullOrEmpty(e.Email) ? null : await users.FindByEmailAsync(e.Email);
        if (user?.Email is not { } address)
        {
            LogNoAccount(e.AggregateId);
            return;
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        await email.SendPasswordResetLinkAsync(user, address, links.ResetPassword(user.Id, token));
        LogSent(e.AggregateId, user.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset {RequestId}: no account uses the address; nothing sent")]
    private partial void LogNoAccount(Guid requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset {RequestId}: link sent to user {UserId}")]
    private partial void LogSent(Guid requestId, Guid userId);
}

internal static class ConfirmationLinks
{
    public static async Task SendAsync(UserManager<AppUser> users, IEmailSender<AppUser> email, AccountLinks links, Guid userId)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is not { EmailConfirmed: false, Email: { } address })
        {
            return;
        }

        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        await email.SendConfirmationLinkAsync(user, address, links.ConfirmEmail(user.Id, token));
    }
}
