using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ticketing.Domain.Expiration;
using Ticketing.Domain.Orders;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Infrastructure.Expiration;

/// <summary>An order whose reservation window has closed, and the version its expiry was scheduled for.</summary>
public readonly record struct DueExpiry(Guid OrderId, int Version);

/// <summary>
/// Raises <see cref="ExpirationComplete"/> for sets of orders, one commit per set: whatever the
/// per-order jobs and the overdue sweep have queued (up to <see cref="MaxSetSize"/>) goes into one
/// save, in which Orders cancels each order and Tickets unlocks its ticket. After a restart
/// thousands of triggers fire together; one commit each would take minutes (docs/decisions/0008).
/// </summary>
public sealed partial class ExpirationCoalescer(
    IDbContextFactory<TicketingDbContext> contexts,
    TimeProvider clock,
    ILogger<ExpirationCoalescer> logger) : BackgroundService
{
    public const int MaxSetSize = 500;

    // A single order that keeps losing races is left to the next overdue sweep.
    private const int MaxAttemptsAlone = 3;

    private static readonly TimeSpan GatherWindow = TimeSpan.FromMilliseconds(25);

    private readonly Channel<Request> _queue = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues one order's expiry without waiting for its commit.</summary>
    public void Enqueue(DueExpiry expiry) => _queue.Writer.TryWrite(new Request(expiry, null));

    /// <summary>
    /// Queues the orders' expiries and waits until each has been committed, found already finished,
    /// or given up on (logged; the order stays live for the next sweep). Never throws for a lost race.
    /// </summary>
    public Task ExpireAsync(IEnumerable<DueExpiry> expiries, CancellationToken cancellationToken)
    {
        var waits = new List<Task>();
        foreach (var expiry in expiries)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waits.Add(done.Task);
            _queue.Writer.TryWrite(new Request(expiry, done));
        }

        return Task.WhenAll(waits).WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var set = new List<Request>(MaxSetSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                Take(set);
                if (set.Count < MaxSetSize)
                {
                    // Triggers that come due together fire a few at a time (Quartz's thread pool); a
                    // moment's wait lets them gather into one set instead of a commit per handful.
                    // An expiry a few milliseconds late changes nothing for anyone.
                    await Task.Delay(GatherWindow, stoppingToken);
                    Take(set);
                }

                await ExpireSetAsync(set, attempt: 1, stoppingToken);
                set.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Orders still queued stay live in the database; the start-up recovery or a sweep expires them.
            foreach (var request in set.Concat(Drain()))
            {
                request.Done?.TrySetCanceled(stoppingToken);
            }
        }
    }

    private void Take(List<Request> set)
    {
        while (set.Count < MaxSetSize && _queue.Reader.TryRead(out var request))
        {
            set.Add(request);
        }
    }

    private async Task ExpireSetAsync(List<Request> set, int attempt, CancellationToken cancellationToken)
    {
        try
        {
            var expired = await CommitAsync(set, cancellationToken);
            LogSetCommitted(set.Count, expired);
            Complete(set);
        }
        catch (DbUpdateConcurrencyException) when (set.Count > 1)
        {
            // A payment or a cancellation of some order in the set committed after we read it. Halves
            // re-read their orders, so the one that lost its race is found finished and skipped, and
            // the others still expire.
            LogSetConflicted(set.Count);
            var half = set.Count / 2;
            await ExpireSetAsync(set[..half], attempt: 1, cancellationToken);
            await ExpireSetAsync(set[half..], attempt: 1, cancellationToken);
        }
        catch (DbUpdateConcurrencyException) when (attempt < MaxAttemptsAlone)
        {
            await ExpireSetAsync(set, attempt + 1, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            LogGaveUp(set[0].Expiry.OrderId, attempt);
            Complete(set);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogSetFailed(ex, set.Count);
            Complete(set);
        }
    }

    /// <summary>Publishes the expiry of every order in the set that is still live; returns how many.</summary>
    private async Task<int> CommitAsync(List<Request> set, CancellationToken cancellationToken)
    {
        var versions = new Dictionary<Guid, int>();
        foreach (var (expiry, _) in set)
        {
            versions[expiry.OrderId] = Math.Max(expiry.Version, versions.GetValueOrDefault(expiry.OrderId, expiry.Version));
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = versions.Keys.ToList();

        // Finished orders get no expiry at all: a trigger that fired for a paid order is a no-op.
        // Tracked, so that the Orders reaction in this save finds them without reading them again.
        var live = (await db.Orders
            .Where(o => ids.Contains(o.Id) && (o.Status == OrderStatus.Created || o.Status == OrderStatus.AwaitingPayment))
            .ToListAsync(cancellationToken))
            .ConvertAll(o => o.Id);
        if (live.Count == 0)
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        foreach (var orderId in live)
        {
            db.Publish(new ExpirationComplete(orderId, versions[orderId], now));
        }

        // Orders cancels and Tickets unlocks in this same save (their reactions).
        await db.SaveChangesAsync(cancellationToken);
        return live.Count;
    }

    private static void Complete(IEnumerable<Request> set)
    {
        foreach (var request in set)
        {
            request.Done?.TrySetResult();
        }
    }

    private IEnumerable<Request> Drain()
    {
        while (_queue.Reader.TryRead(out var request))
        {
            yield return request;
        }
    }

    private sealed record Request(DueExpiry Expiry, TaskCompletionSource? Done);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Expiry set of {Count} committed: {Expired} orders expired")]
    private partial void LogSetCommitted(int count, int expired);

    [LoggerMessage(Level = LogLevel.Information, Message = "Expiry set of {Count} lost a race with another change; retrying it in halves")]
    private partial void LogSetConflicted(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} expiry lost {Attempts} races in a row; left to the overdue sweep")]
    private partial void LogGaveUp(Guid orderId, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Expiry set of {Count} failed; the orders stay live until the overdue sweep retries them")]
    private partial void LogSetFailed(Exception ex, int count);
}
