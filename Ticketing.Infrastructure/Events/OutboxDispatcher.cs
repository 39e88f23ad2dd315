using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Domain.Common;
using Ticketing.Infrastructure.Persistence;

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
}

/// <summary>
/// Delivers committed outbox messages, in commit order, to every <see cref="IEventHandler"/> of
/// their type, at least once. A handler's database changes commit together with its
/// <see cref="OutboxDelivery"/> row, so a redelivered message never runs a handler twice.
/// Several instances may run it: a batch is claimed with a conditional update first.
/// </summary>
public sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    TimeProvider clock,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

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
        var finished = 0;
        var blockedAggregates = new HashSet<Guid>();
        foreach (var message in claimed)
        {
            // A failed message holds back later events of the same aggregate, to keep them in order.
            if (blockedAggregates.Contains(message.AggregateId))
            {
                continue;
            }

            if (await DispatchAsync(message, cancellationToken))
            {
                finished++;
            }
            else
            {
                blockedAggregates.Add(message.AggregateId);
            }
        }

        return finished;
    }

    private async Task<List<OutboxMessage>> ClaimBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        var now = clock.GetUtcNow();
        var candidates = await Claimable(db, now).AsNoTracking()
            .OrderBy(m => m.Id)
            .Select(m => m.Id)
            .Take(options.Value.BatchSize)
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return [];
        }

        var until = now + options.Value.ClaimDuration;
        await Claimable(db, now)
            .Where(m => candidates.Contains(m.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedBy, _instance).SetProperty(m => m.LockedUntil, until), cancellationToken);
        return await db.OutboxMessages.AsNoTracking()
            .Where(m => candidates.Contains(m.Id) && m.LockedBy == _instance && m.ProcessedAt == null)
            .OrderBy(m => m.Id)
            .ToListAsync(cancellationToken);
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
            && (m.LockedUntil == null || m.LockedUntil < now)
            && !db.OutboxMessages.Any(earlier => earlier.AggregateId == m.AggregateId
                && earlier.Id < m.Id
                && earlier.ProcessedAt == null
                && earlier.LockedBy != null
                && earlier.LockedUntil >= now));

    private async Task<bool> DispatchAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var domainEvent = EventTypes.Deserialize(message.Type, message.Payload);
        try
        {
            if (domainEvent is null)
            {
                throw new InvalidOperationException($"Unknown event type '{message.Type}'.");
            }

            foreach (var handlerName in await PendingHandlersAsync(message, domainEvent, cancellationToken))
            {
                await RunHandlerAsync(message, domainEvent, handlerName, cancellationToken);
            }

            await UpdateMessageAsync(message.Id, s => s
                .SetProperty(m => m.ProcessedAt, clock.GetUtcNow())
                .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null), cancellationToken);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var attempts = message.Attempts + 1;
            var retryAt = clock.GetUtcNow() + TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, attempts)));
            LogHandlerFailed(ex, message.Id, message.Type, message.AggregateId, attempts);
            await UpdateMessageAsync(message.Id, s => s
                .SetProperty(m => m.Attempts, attempts)
                .SetProperty(m => m.LastError, Truncate(ex.Message))
                .SetProperty(m => m.LockedBy, (string?)null)
                .SetProperty(m => m.LockedUntil, retryAt), CancellationToken.None);
            return false;
        }
    }

    private async Task<List<string>> PendingHandlersAsync(OutboxMessage message, IDomainEvent domainEvent, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var all = scope.ServiceProvider.GetServices<IEventHandler>()
            .Where(h => h.EventType == domainEvent.GetType())
            .Select(HandlerName)
            .ToList();
        if (all.Count == 0)
        {
            return all;
        }

        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        var done = await db.OutboxDeliveries.AsNoTracking()
            .Where(d => d.MessageId == message.Id)
            .Select(d => d.Handler)
            .ToListAsync(cancellationToken);
        return all.Except(done).ToList();
    }

    private async Task RunHandlerAsync(OutboxMessage message, IDomainEvent domainEvent, string handlerName, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetServices<IEventHandler>().Single(h => HandlerName(h) == handlerName);
        using var logScope = logger.BeginScope(new Dictionary<string, object>
        {
            ["EventType"] = message.Type,
            ["AggregateId"] = message.AggregateId,
            ["Handler"] = handlerName,
        });
        await handler.HandleAsync(domainEvent, cancellationToken);
        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        db.OutboxDeliveries.Add(new OutboxDelivery { MessageId = message.Id, Handler = handlerName, HandledAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
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

    /// <summary>The handler's stable name in <see cref="OutboxDelivery"/>, e.g. <c>TicketLivePush&lt;TicketLocked&gt;</c>.</summary>
    private static string HandlerName(IEventHandler handler) => HandlerName(handler.GetType());

    private static string HandlerName(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(",", type.GetGenericArguments().Select(HandlerName))}>"
        : type.Name;

    private static string Truncate(string text) => text.Length <= 2000 ? text : text[..2000];

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox dispatch pass failed")]
    private partial void LogDispatchFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} ({EventType}, aggregate {AggregateId}) failed on attempt {Attempts}; it will be retried")]
    private partial void LogHandlerFailed(Exception ex, long messageId, string eventType, Guid aggregateId, int attempts);
}
