using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
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
/// outbox is. Such a handler writes nothing to the database and bears running twice. An aggregate's
/// handed-over events run in hand-over order; a client still keeps the newest version it has seen,
/// for the rare pair that is not: two commits of one aggregate handed over in the opposite order of
/// their commits, or one left to the dispatcher (a full lane) next to one handed over. The outbox
/// still delivers the event: if this instance died before the handler ran, or its run failed before
/// the dispatcher came to the event, the dispatcher runs it; otherwise the dispatcher records it as
/// delivered without running it again.
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
/// Runs the <see cref="IRunsOnCommit"/> handlers of each committed event as soon as
/// <see cref="DomainEventPipeline"/> hands the events over after the commit. An event is claimed for
/// its handlers as it is handed over, before the dispatcher is woken, so the dispatcher only records
/// it: a handed-over event is run from here alone, and an aggregate's events, each in its commit's
/// hand-over order, go through one lane one after the other. A payment's claim and its completion
/// commit milliseconds apart; were the dispatcher to push the claim while this pushed the completion,
/// the buyer could hear them the wrong way round. Lanes run side by side, an aggregate always in the
/// same one. A lane is bounded: when it is full the events are left to the outbox dispatcher, which
/// delivers them all anyway. The meter <see cref="MeterName"/> reports how long each event waited in
/// its lane and how many were left to the dispatcher: the first milliseconds of the live channel's
/// "within 100 ms of the commit".
/// </summary>
public sealed partial class OnCommitDelivery(
    IServiceScopeFactory scopes,
    EventHandlerRegistrations registrations,
    OnCommitClaims claims,
    IMeterFactory meters,
    ILogger<OnCommitDelivery> logger) : BackgroundService
{
    public const string MeterName = "Ticketing.OnCommit";

    /// <summary>Seconds from an event's hand-over after its commit to the start of its first handler.</summary>
    public const string WaitInstrument = "ticketing.on_commit.wait";

    /// <summary>
    /// Events left to the outbox dispatcher instead, tagged <c>reason</c>: <c>full</c> (a full lane:
    /// the save's events from that one on), <c>unread</c> (an event's handlers could not be read: the
    /// same) or <c>failed</c> (a handler's run failed).
    /// </summary>
    public const string LeftInstrument = "ticketing.on_commit.left_to_outbox";

    // The factory hands out one meter per name: both instruments are on it.
    private readonly Histogram<double> _wait = meters.Create(MeterName)
        .CreateHistogram<double>(WaitInstrument, "s", "Time a committed event waited in its lane for its live push to start");

    private readonly Counter<int> _left = meters.Create(MeterName)
        .CreateCounter<int>(LeftInstrument, "{event}", "Committed events left to the outbox dispatcher instead of their lane");

    /// <summary>Lanes run side by side; a power of two, so that a lane is the low bits of the aggregate's hash.</summary>
    internal const int Lanes = 4;

    private const int CapacityPerLane = 2_500;

    private readonly Channel<HandedOver>[] _lanes = Enumerable.Range(0, Lanes)
        .Select(_ => Channel.CreateBounded<HandedOver>(new BoundedChannelOptions(CapacityPerLane) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait }))
        .ToArray();

    /// <summary>Called right after the commit that wrote these events to the outbox; never waits.</summary>
    internal void Committed(IReadOnlyList<IDomainEvent> events)
    {
        for (var i = 0; i < events.Count; i++)
        {
            var domainEvent = events[i];
            IReadOnlyList<RegisteredHandler> ofType;
            try
            {
                ofType = registrations.Of(domainEvent.GetType(), scopes);
            }
            catch (Exception ex)
            {
                // The save has committed: it must not fail now. This event and those after it are left to the dispatcher.
                LogHandOverFailed(ex, domainEvent.GetType().Name);
                _left.Add(events.Count - i, new KeyValuePair<string, object?>("reason", "unread"));
                return;
            }

            List<RegisteredHandler>? claimed = null;
            foreach (var handler in ofType)
            {
                // False only when the dispatcher got to this event first, woken by an earlier commit or its poll: it runs it.
                if (handler.RunsOnCommit && claims.TryClaim(handler.Name, domainEvent))
                {
                    (claimed ??= []).Add(handler);
                }
            }

            if (claimed is not null && !LaneOf(domainEvent.AggregateId).Writer.TryWrite(new HandedOver(domainEvent, claimed, Stopwatch.GetTimestamp())))
            {
                // Full: this event and those after it are left to the dispatcher.
                foreach (var handler in claimed)
                {
                    claims.Release(handler.Name, domainEvent);
                }

                _left.Add(events.Count - i, new KeyValuePair<string, object?>("reason", "full"));
                return;
            }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_lanes.Select(lane => RunLaneAsync(lane.Reader, stoppingToken)));

    private Channel<HandedOver> LaneOf(Guid aggregateId) => _lanes[aggregateId.GetHashCode() & (Lanes - 1)];

    private async Task RunLaneAsync(ChannelReader<HandedOver> lane, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (domainEvent, handlers, handedOverAt) in lane.ReadAllAsync(stoppingToken))
            {
                _wait.Record(Stopwatch.GetElapsedTime(handedOverAt).TotalSeconds);
                foreach (var handler in handlers)
                {
                    await RunAsync(handler, domainEvent, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: whatever is still queued is in the outbox; the claims die with this instance.
        }
    }

    /// <summary>
    /// A run that fails releases its claim: if the dispatcher has not yet come to the event, it runs
    /// the handler. If it already has, it recorded the event as delivered and the push is lost, as a
    /// push the backplane drops is: the page shows the current state on its next load.
    /// </summary>
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
            _left.Add(1, new KeyValuePair<string, object?>("reason", "failed"));
            LogLeftToOutbox(ex, handler.Name, domainEvent.AggregateId, domainEvent.Version);
        }
    }

    private readonly record struct HandedOver(IDomainEvent Event, List<RegisteredHandler> Handlers, long HandedOverAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The handlers of {EventType} could not be read; the outbox delivers its on-commit handlers instead")]
    private partial void LogHandOverFailed(Exception ex, string eventType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Handler} failed on commit for {AggregateId} v{Version}; the outbox delivers it instead")]
    private partial void LogLeftToOutbox(Exception ex, string handler, Guid aggregateId, int version);
}
