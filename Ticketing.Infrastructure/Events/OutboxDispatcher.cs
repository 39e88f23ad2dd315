using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ticketing.Infrastructure.Events;

public sealed class OutboxOptions
{
    /// <summary>
    /// How often to look for work nobody signalled (another instance's commits, retries, rows left
    /// by a crash). Normal delivery does not wait for it: each commit wakes the dispatcher.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a claimed batch stays owned by one instance before another may take it over.</summary>
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromSeconds(30);

    public int BatchSize { get; set; } = 100;

    /// <summary>Failed deliveries after which a message is dead-lettered (about ten minutes of retries at the default).</summary>
    public int MaxAttempts { get; set; } = 15;

    /// <summary>Processed messages and their delivery rows are deleted this many days after processing.</summary>
    public int RetentionDays { get; set; } = 7;
}

/// <summary>
/// Delivers committed outbox messages, in commit order, to every <see cref="IEventHandler"/> of
/// their type, at least once. A handler's database changes commit together with its
/// <see cref="OutboxDelivery"/> row, so a redelivered message never repeats them.
/// Several instances may run it: a batch is claimed with a conditional update first.
/// </summary>
public sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    EventHandlerRegistrations registrations,
    OnCommitClaims onCommit,
    OutboxSignal signal,
    TimeProvider clock,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private static readonly IReadOnlySet<string> NothingDelivered = new HashSet<string>();

    /// <summary>When the last pass finished with nothing left to do; read by the readiness check.</summary>
    public DateTimeOffset? LastIdleAt { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int handled;
                do
                {
                    handled = await DispatchPendingAsync(stoppingToken);
                }
                while (handled > 0 && !stoppingToken.IsCancellationRequested);

                LastIdleAt = clock.GetUtcNow();
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogDispatchFailed(ex);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Claims and dispatches one batch; returns how many messages it finished.</summary>
    public async Task<int> DispatchPendingAsync(CancellationToken cancellationToken)
    {
        var claimed = await ClaimBatchAsync(cancellationToken);
        if (claimed.Count == 0)
        {
            return 0;
        }

        try
        {
            return await DispatchBatchAsync(claimed, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            await ReleaseAsync(claimed);
            throw;
        }
    }

    private async Task<int> DispatchBatchAsync(List<OutboxMessage> claimed, CancellationToken cancellationToken)
    {
        var delivered = await DeliveredHandlersAsync(claimed, cancellationToken);
        var batch = new BatchCompletion();
        var blockedAggregates = new HashSet<Guid>();
        foreach (var message in claimed)
        {
            // A failed message holds back later events of the same aggregate, to keep them in order.
            if (blockedAggregates.Contains(message.AggregateId))
            {
                continue;
            }

            var alreadyDone = delivered.TryGetValue(message.Id, out var done) ? done : NothingDelivered;
            if (await DispatchAsync(message, alreadyDone, batch, cancellationToken))
            {
                batch.Finished.Add(message.Id);
            }
            else
            {
                blockedAggregates.Add(message.AggregateId);
            }
        }

        await CompleteBatchAsync(batch, cancellationToken);
        return batch.Finished.Count;
    }

    /// <summary>
    /// A pass that failed outside any one handler (its completion did not commit, say) hands its batch
    /// back, so the next pass, a second later, takes it again instead of the claim holding every message
    /// in it for <see cref="OutboxOptions.ClaimDuration"/>. Messages that failed on their own keep their
    /// back-off (they are no longer claimed), and handlers whose delivery rows committed are not run
    /// again. If handing back fails too, the claim simply runs out.
    /// </summary>
    private async Task ReleaseAsync(List<OutboxMessage> claimed)
    {
        var ids = claimed.ConvertAll(m => m.Id);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
            await db.OutboxMessages
                .Where(m => ids.Contains(m.Id) && m.ProcessedAt == null && m.LockedBy == _instance)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.LockedBy, (string?)null)
                    .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null), CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogReleaseFailed(ex, ids.Count);
        }
    }

    private async Task<List<OutboxMessage>> ClaimBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        var now = clock.GetUtcNow();
        return await RowClaims.ClaimAsync<OutboxMessage, long>(
            Claimable(db, now),
            db.OutboxMessages.Where(m => m.ProcessedAt == null),
            messages => messages.OrderBy(m => m.Id),
            options.Value.BatchSize,
            _instance,
            now + options.Value.ClaimDuration,
            cancellationToken);
    }

    /// <summary>
    /// Unprocessed, unclaimed messages, minus those behind an earlier message of the same aggregate
    /// that an instance (possibly a dead one) has claimed: an aggregate's events reach the handlers
    /// in version order. Checked again in the claiming update, so two instances cannot split one
    /// aggregate's messages between them. A message backing off after a failure holds nothing back
    /// beyond its own batch: a failing live push must not stop the order from expiring.
    /// </summary>
    private static IQueryable<OutboxMessage> Claimable(TicketingDbContext db, DateTimeOffset now) =>
        db.OutboxMessages.Where(m => m.ProcessedAt == null
            && m.DeadLetteredAt == null
            && (m.LockedUntil == null || m.LockedUntil < now)
            && !db.OutboxMessages.Any(earlier => earlier.AggregateId == m.AggregateId
                && earlier.Id < m.Id
                && earlier.ProcessedAt == null
                && earlier.LockedBy != null
                && earlier.LockedUntil >= now));

    private async Task<bool> DispatchAsync(OutboxMessage message, IReadOnlySet<string> alreadyDone, BatchCompletion batch, CancellationToken cancellationToken)
    {
        var domainEvent = EventTypes.Deserialize(message.Type, message.Payload);
        try
        {
            if (domainEvent is null)
            {
                throw new InvalidOperationException($"Unknown event type '{message.Type}'.");
            }

            foreach (var handler in registrations.Of(domainEvent.GetType(), scopes).Where(h => !alreadyDone.Contains(h.Name)))
            {
                if (handler.RunsOnCommit && !onCommit.TryClaim(handler.Name, domainEvent))
                {
                    // Already run from memory right after the commit (OnCommitDelivery).
                    batch.Deliveries.Add(new OutboxDelivery { MessageId = message.Id, Handler = handler.Name, HandledAt = clock.GetUtcNow() });
                    continue;
                }

                await RunHandlerAsync(message, domainEvent, handler, batch, cancellationToken);
            }

            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var attempts = message.Attempts + 1;
            if (attempts >= options.Value.MaxAttempts)
            {
                LogDeadLettered(ex, message.Id, message.Type, message.AggregateId, attempts);
                await UpdateMessageAsync(message.Id, s => s
                    .SetProperty(m => m.Attempts, attempts)
                    .SetProperty(m => m.LastError, ClaimableRow.ErrorText(ex.Message))
                    .SetProperty(m => m.DeadLetteredAt, clock.GetUtcNow())
                    .SetProperty(m => m.LockedBy, (string?)null)
                    .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null), CancellationToken.None);
                return false;
            }

            var retryAt = clock.GetUtcNow() + TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, attempts)));
            LogHandlerFailed(ex, message.Id, message.Type, message.AggregateId, attempts);
            await UpdateMessageAsync(message.Id, s => s
                .SetProperty(m => m.Attempts, attempts)
                .SetProperty(m => m.LastError, ClaimableRow.ErrorText(ex.Message))
                .SetProperty(m => m.LockedBy, (string?)null)
                .SetProperty(m => m.LockedUntil, retryAt), CancellationToken.None);
            return false;
        }
    }

    private async Task<Dictionary<long, IReadOnlySet<string>>> DeliveredHandlersAsync(List<OutboxMessage> claimed, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        var ids = claimed.ConvertAll(m => m.Id);
        var rows = await db.OutboxDeliveries.AsNoTracking()
            .Where(d => ids.Contains(d.MessageId))
            .Select(d => new { d.MessageId, d.Handler })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.MessageId)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.Select(r => r.Handler).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// A handler that changed the database commits those changes with its delivery row, at once, so
    /// it runs exactly once. A handler that changed nothing (a live push, a Quartz trigger) has its
    /// delivery row written with the batch's completion: one commit per batch instead of one per
    /// handler. A crash before that commit runs such handlers again, which they are built to bear
    /// (at-least-once, applied in version order).
    /// </summary>
    private async Task RunHandlerAsync(OutboxMessage message, IDomainEvent domainEvent, RegisteredHandler registered, BatchCompletion batch, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();

        // Only this handler is built, with its dependencies from the scope: resolving the registered
        // IEventHandlers would build every one of them (and a database context) for each delivery.
        var handler = registered.Create(scope.ServiceProvider);
        using var logScope = logger.BeginScope(new Dictionary<string, object>
        {
            ["EventType"] = message.Type,
            ["AggregateId"] = message.AggregateId,
            ["Handler"] = registered.Name,
        });
        await handler.HandleAsync(domainEvent, cancellationToken);
        var delivery = new OutboxDelivery { MessageId = message.Id, Handler = registered.Name, HandledAt = clock.GetUtcNow() };
        if (scope.ServiceProvider.GetRequiredService<ScopedDbContext>().IfCreated is not { } db || !db.ChangeTracker.HasChanges())
        {
            batch.Deliveries.Add(delivery);
            return;
        }

        db.OutboxDeliveries.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>One transaction: the deferred delivery rows and the finished messages' processed marks.</summary>
    private async Task CompleteBatchAsync(BatchCompletion batch, CancellationToken cancellationToken)
    {
        if (batch.Deliveries.Count == 0 && batch.Finished.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.OutboxDeliveries.AddRange(batch.Deliveries);
        await db.SaveChangesAsync(cancellationToken);
        if (batch.Finished.Count > 0)
        {
            await db.OutboxMessages.Where(m => batch.Finished.Contains(m.Id))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.ProcessedAt, clock.GetUtcNow())
                    .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private sealed class BatchCompletion
    {
        public List<OutboxDelivery> Deliveries { get; } = [];

        public List<long> Finished { get; } = [];
    }

    private async Task UpdateMessageAsync(
        long id,
        Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<OutboxMessage>> setters,
        CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        await db.OutboxMessages.Where(m => m.Id == id).ExecuteUpdateAsync(setters, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox dispatch pass failed")]
    private partial void LogDispatchFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not hand back {Count} claimed outbox messages after a failed pass; they wait for their claim to run out")]
    private partial void LogReleaseFailed(Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} ({EventType}, aggregate {AggregateId}) failed on attempt {Attempts}; it will be retried")]
    private partial void LogHandlerFailed(Exception ex, long messageId, string eventType, Guid aggregateId, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageId} ({EventType}, aggregate {AggregateId}) failed {Attempts} times and is dead-lettered; an admin can retry it from the dashboard")]
    private partial void LogDeadLettered(Exception ex, long messageId, string eventType, Guid aggregateId, int attempts);
}
