using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ticketing.Domain.Common;

namespace Ticketing.Infrastructure.Events;

/// <summary>
/// Marks an <see cref="IEventHandler"/> that also runs straight from memory once the save that
/// raised its event has committed, instead of waiting for the outbox dispatcher to claim the
/// message: the live pushes, so that a push leaves within moments of its commit however busy the
/// outbox is. Such a handler writes nothing to the database and bears running twice (a client
/// keeps the newest version it has seen: two commits of one aggregate handed over in the opposite
/// order of their commits arrive that way too). The outbox still delivers the event: if this
/// instance died before the handler ran, or its run failed before the dispatcher came to the event,
/// the dispatcher runs it; otherwise the dispatcher records it as delivered without running it again.
/// </summary>
public interface IRunsOnCommit;

/// <summary>
/// Who ran an on-commit handler for one event first, the on-commit delivery or the outbox
/// dispatcher; the other one skips it. Both visit each event of this instance's autocommitted saves
/// and group commits once, so the second visit removes the entry. Entries whose second visit never
/// comes (an event saved in another explicit transaction, such as an expiry set's, which is not handed over; a commit of
/// another instance; an event the full queue turned away) are dropped once older than
/// <see cref="Forget"/>, by a sweep that runs at most once per <see cref="SweepEvery"/>: a sweep walks
/// every entry, so running one per claim while many are waiting would cost each claim all of them.
/// </summary>
public sealed class OnCommitClaims(TimeProvider clock)
{
    private static readonly TimeSpan Forget = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<Key, DateTimeOffset> _claims = new();
    private long _nextSweepTicks = clock.GetUtcNow().Add(SweepEvery).UtcTicks;

    /// <summary>True for the first of the two to ask for this handler and event: it runs the handler.</summary>
    internal bool TryClaim(string handler, IDomainEvent domainEvent)
    {
        var key = new Key(handler, domainEvent.GetType(), domainEvent.AggregateId, domainEvent.Version);
        if (_claims.TryRemove(key, out _))
        {
            return false;
        }

        var now = clock.GetUtcNow();
        SweepIfDue(now);

        // Both asking at the same moment: only one add succeeds, and the other one's retry removes it.
        return _claims.TryAdd(key, now) || !_claims.TryRemove(key, out _);
    }

    /// <summary>The on-commit run failed: the dispatcher's visit will find no claim and run the handler itself.</summary>
    internal void Release(string handler, IDomainEvent domainEvent) =>
        _claims.TryRemove(new Key(handler, domainEvent.GetType(), domainEvent.AggregateId, domainEvent.Version), out _);

    internal int Count => _claims.Count;

    private void SweepIfDue(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, now.Add(SweepEvery).UtcTicks, due) != due)
        {
            return;
        }

        var before = now - Forget;
        foreach (var (key, claimedAt) in _claims)
        {
            if (claimedAt < before)
            {
                _claims.TryRemove(key, out _);
            }
        }
    }

    private readonly record struct Key(string Handler, Type EventType, Guid AggregateId, int Version);
}

/// <summary>
/// Runs the <see cref="IRunsOnCommit"/> handlers of each committed event, in commit order, as soon
/// as <see cref="DomainEventPipeline"/> hands the events over after the commit. The queue is
/// bounded: when it is full the events are left to the outbox dispatcher, which delivers them all
/// anyway.
/// </summary>
public sealed partial class OnCommitDelivery(
    IServiceScopeFactory scopes,
    EventHandlerRegistrations registrations,
    OnCommitClaims claims,
    ILogger<OnCommitDelivery> logger) : BackgroundService
{
    private const int Capacity = 10_000;

    private readonly Channel<IDomainEvent> _committed = Channel.CreateBounded<IDomainEvent>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Called right after the commit that wrote these events to the outbox; never waits.</summary>
    internal void Committed(IReadOnlyList<IDomainEvent> events)
    {
        foreach (var domainEvent in events)
        {
            if (!_committed.Writer.TryWrite(domainEvent))
            {
                return;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var domainEvent in _committed.Reader.ReadAllAsync(stoppingToken))
            {
                foreach (var handler in registrations.Of(domainEvent.GetType(), scopes))
                {
                    if (handler.RunsOnCommit && claims.TryClaim(handler.Name, domainEvent))
                    {
                        await RunAsync(handler, domainEvent, stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: whatever is still queued is in the outbox.
        }
    }

    private async Task RunAsync(RegisteredHandler handler, IDomainEvent domainEvent, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await handler.Create(scope.ServiceProvider).HandleAsync(domainEvent, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            claims.Release(handler.Name, domainEvent);
            LogLeftToOutbox(ex, handler.Name, domainEvent.AggregateId, domainEvent.Version);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Handler} failed on commit for {AggregateId} v{Version}; the outbox delivers it instead")]
    private partial void LogLeftToOutbox(Exception ex, string handler, Guid aggregateId, int version);
}
