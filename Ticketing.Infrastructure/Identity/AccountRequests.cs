using Ticketing.Domain.Identity;

namespace Ticketing.Infrastructure.Identity;

/// <summary>
/// Requests for account e-mails, recorded as events in the outbox: the e-mail goes out from the
/// event's handler, once, after the request has been answered.
/// </summary>
[Scoped]
public sealed class AccountRequests(IDbContextFactory<TicketingDbContext> contexts, TimeProvider clock)
{
    /// <summary>
    /// The same single insert whatever <paramref name="email"/> is: no lookup, no token, no hash here,
    /// so neither the answer nor the work it takes tells whether an account uses the address.
    /// </summary>
    public async Task RequestPasswordResetAsync(string email, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Publish(new PasswordResetRequested(Guid.NewGuid(), 0, clock.GetUtcNow(), email));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task RequestEmailConfirmationAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Publish(new EmailConfirmationRequested(Guid.NewGuid(), 0, clock.GetUtcNow(), userId));
        await db.SaveChangesAsync(cancellationToken);
    }
}
