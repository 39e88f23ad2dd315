using Microsoft.Extensions.Logging;
using Ticketing.Domain.Identity;
using Ticketing.Infrastructure.Email;
using Ticketing.Infrastructure.Events;

namespace Ticketing.Infrastructure.Identity;

/// <summary>A new user is logged and gets a welcome e-mail.</summary>
internal sealed partial class WelcomeOnUserCreated(EmailQueue queue, ILogger<WelcomeOnUserCreated> logger) : CommittedEventHandler<UserCreated>
{
    protected override async Task HandleAsync(UserCreated e, CancellationToken cancellationToken)
    {
        LogSignedUp(e.AggregateId);
        if (!string.IsNullOrEmpty(e.Email))
        {
            await queue.EnqueueAsync(Recipients.Key(e, "user"), EmailTemplates.Welcome(e.Email), cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} signed up")]
    private partial void LogSignedUp(Guid userId);
}
