using Microsoft.AspNetCore.Identity;
using Ticketing.Domain.Identity;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Web.Accounts;

// The account e-mails go out from these outbox handlers, after the request that caused them has
// been answered, through Identity's IEmailSender<AppUser>. Identity makes the tokens.

/// <summary>A new account gets the link that confirms its address (not the account the app seeds, which the operator's configuration vouches for).</summary>
internal sealed class SendConfirmationOnUserCreated(UserManager<AppUser> users, IEmailSender<AppUser> email, AccountLinks links)
    : CommittedEventHandler<UserCreated>
{
    protected override Task HandleAsync(UserCreated e, CancellationToken cancellationToken) =>
        ConfirmationLinks.SendAsync(users, email, links, e.AggregateId);
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
