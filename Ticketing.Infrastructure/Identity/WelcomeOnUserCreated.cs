using Microsoft.Extensions.Logging;
using Ticketing.Domain.Identity;
using Ticketing.Infrastructure.Events;

namespace Ticketing.Infrastructure.Identity;

/// <summary>The audit trail of sign-ups (where a welcome e-mail would be sent from).</summary>
internal sealed partial class WelcomeOnUserCreated(ILogger<WelcomeOnUserCreated> logger) : CommittedEventHandler<UserCreated>
{
    protected override Task HandleAsync(UserCreated e, CancellationToken cancellationToken)
    {
        LogSignedUp(e.AggregateId);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} signed up")]
    private partial void LogSignedUp(Guid userId);
}
