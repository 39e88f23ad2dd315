namespace Ticketing.Infrastructure.Events;

/// <summary>An outbox message whose handler kept failing, as the admin sees it.</summary>
public sealed record DeadLetter(
    long Id,
    string Type,
    Guid AggregateId,
    int AggregateVersion,
    DateTimeOffset OccurredAt,
    DateTimeOffset DeadLetteredAt,
    int Attempts,
    string? LastError);

/// <summary>A page of dead letters, newest first, and how many there are in all.</summary>
public sealed record DeadLetterPage(IReadOnlyList<DeadLetter> Items, int Total);

/// <summary>
/// The dead-lettered outbox messages: listed for the admin, and sent back to the dispatcher once
/// whatever made them fail is fixed. Handlers that already succeeded for a message keep their
/// delivery rows, so a retry runs only the ones that failed.
/// </summary>
[Scoped]
public sealed partial class DeadLetters(IDbContextFactory<TicketingDbContext> contexts, OutboxSignal signal, ILogger<DeadLetters> logger)
{
    public async Task<DeadLetterPage> ListAsync(int take = 50, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var dead = db.OutboxMessages.AsNoTracking().Where(m => m.ProcessedAt == null && m.DeadLetteredAt != null);
        var total = await dead.CountAsync(cancellationToken);
        var items = await dead
            .OrderByDescending(m => m.Id)
            .Take(Math.Clamp(take, 1, 500))
            .Select(m => new DeadLetter(m.Id, m.Type, m.AggregateId, m.AggregateVersion, m.OccurredAt, m.DeadLetteredAt!.Value, m.Attempts, m.LastError))
            .ToListAsync(cancellationToken);
        return new DeadLetterPage(items, total);
    }

    /// <summary>Returns the message to the dispatcher with a fresh count of attempts; false if it is not dead-lettered (any more).</summary>
    public async Task<bool> RetryAsync(long messageId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var retried = await db.OutboxMessages
            .Where(m => m.Id == messageId && m.DeadLetteredAt != null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.DeadLetteredAt, (DateTimeOffset?)null)
                .SetProperty(m => m.Attempts, 0)
                .SetProperty(m => m.LockedBy, (string?)null)
                .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null), cancellationToken);
        if (retried == 0)
        {
            return false;
        }

        LogRetried(messageId);
        signal.Notify();
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox message {MessageId} sent back for delivery by an admin")]
    private partial void LogRetried(long messageId);
}
