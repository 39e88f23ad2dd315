using System.Threading.Channels;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.Hosting;
using Ticketing.Domain.Expiration;
using Ticketing.Infrastructure.Audit;

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
    AuditTrail audit,
    OutboxSignal signal,
    TimeProvider clock,
    ILogger<ExpirationCoalescer> logger) : BackgroundService
{
    /// <summary>
    /// The most orders one set takes. A set holds the write lock from its first update to its commit
    /// (about 0.2 s for 2,000 on two cores), which a reservation arriving meanwhile waits for; each set
    /// costs a commit, an fsync and its statements once, so after a restart larger sets finish sooner
    /// (docs/decisions/0008).
    /// </summary>
    public const int MaxSetSize = 2000;

    // A single order that keeps losing races is left to the next overdue sweep.
    private const int MaxAttemptsAlone = 3;

    private static readonly TimeSpan GatherWindow = TimeSpan.FromMilliseconds(25);

    private readonly Channel<Request> _queue = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });

    // Requests in the queue (a single reader's channel does not count them).
    private int _queued;

    /// <summary>Queues one order's expiry without waiting for its commit.</summary>
    public void Enqueue(DueExpiry expiry) => Write(new Request(expiry, null));

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
            Write(new Request(expiry, done));
        }

        return Task.WhenAll(waits).WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Pending? current = null;
        Pending? next = null;
        try
        {
            while (true)
            {
                if (next is null)
                {
                    if (!await _queue.Reader.WaitToReadAsync(stoppingToken))
                    {
                        break;
                    }

                    var set = new List<Request>(MaxSetSize);
                    Take(set);
                    if (set.Count < MaxSetSize)
                    {
                        // Triggers that come due together fire a few at a time (Quartz's thread pool); a
                        // moment's wait lets them gather into one set instead of a commit per handful.
                        // An expiry a few milliseconds late changes nothing for anyone.
                        await Task.Delay(GatherWindow, stoppingToken);
                        Take(set);
                    }

                    next = new Pending(set, PrepareAsync(set, stoppingToken));
                }

                current = next;
                next = null;

                // A burst (thousands due after a restart): the next full set is read, and its events
                // written to JSON, on another thread while this one writes and waits for its commit's
                // fsync. (SQLite's calls complete synchronously: without Task.Run they would not overlap.)
                if (Volatile.Read(ref _queued) >= MaxSetSize)
                {
                    var following = new List<Request>(MaxSetSize);
                    Take(following);
                    next = new Pending(following, Task.Run(() => PrepareAsync(following, stoppingToken), stoppingToken));
                }

                await ExpireSetAsync(current.Set, current.Prepared, attempt: 1, stoppingToken);
                current = null;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Orders still queued stay live in the database; the start-up recovery or a sweep expires them.
            foreach (var request in (current?.Set ?? []).Concat(next?.Set ?? []).Concat(Drain()))
            {
                request.Done?.TrySetCanceled(stoppingToken);
            }

            await DiscardAsync(next);
        }
    }

    private void Write(Request request)
    {
        Interlocked.Increment(ref _queued);
        if (!_queue.Writer.TryWrite(request))
        {
            Interlocked.Decrement(ref _queued);
        }
    }

    private void Take(List<Request> set)
    {
        while (set.Count < MaxSetSize && _queue.Reader.TryRead(out var request))
        {
            Interlocked.Decrement(ref _queued);
            set.Add(request);
        }
    }

    private static async Task DiscardAsync(Pending? pending)
    {
        try
        {
            if (pending is not null && await pending.Prepared is { } prepared)
            {
                await prepared.DisposeAsync();
            }
        }
        catch (Exception)
        {
            // Stopping: a read cut short has nothing to undo.
        }
    }

    /// <param name="prepared">The set already read, or null to read it now (a retry re-reads its orders).</param>
    private async Task ExpireSetAsync(List<Request> set, Task<PreparedSet?>? prepared, int attempt, CancellationToken cancellationToken)
    {
        try
        {
            var expired = 0;
            if (await (prepared ?? PrepareAsync(set, cancellationToken)) is { } ready)
            {
                await using (ready)
                {
                    expired = await WriteAsync(ready, cancellationToken);
                }
            }

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
            await ExpireSetAsync(set[..half], null, attempt: 1, cancellationToken);
            await ExpireSetAsync(set[half..], null, attempt: 1, cancellationToken);
        }
        catch (DbUpdateConcurrencyException) when (attempt < MaxAttemptsAlone)
        {
            await ExpireSetAsync(set, null, attempt + 1, cancellationToken);
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

    /// <summary>
    /// Reads what the set will write, outside any transaction: its live orders, the tickets those
    /// that may expire hold, and the events and audit steps their expiry raises. Null when none of
    /// its orders is live any more.
    /// </summary>
    /// <remarks>
    /// Nothing read here is trusted at write time: every write names the version it read
    /// (<see cref="WriteAtReadVersionsAsync{T}"/>), so a payment or cancellation that commits in
    /// between fails the set, which is then retried in halves, each read again. Reading before the
    /// transaction keeps the write lock for the writes alone, and lets a burst read its next set while
    /// the previous one commits.
    /// </remarks>
    private async Task<PreparedSet?> PrepareAsync(List<Request> set, CancellationToken cancellationToken)
    {
        var versions = new Dictionary<Guid, int>();
        foreach (var (expiry, _) in set)
        {
            versions[expiry.OrderId] = Math.Max(expiry.Version, versions.GetValueOrDefault(expiry.OrderId, expiry.Version));
        }

        var db = await contexts.CreateDbContextAsync(cancellationToken);
        try
        {
            var ids = versions.Keys.ToList();

            // Finished orders get no expiry at all: a trigger that fired for a paid order is a no-op.
            // Each list of ids goes as one JSON parameter (EF.Parameter), not one parameter per id, which
            // is EF Core's default: Microsoft.Data.Sqlite binds parameters by name and SQLite finds each
            // name by a linear search, so a statement of n ids cost n² comparisons (SetInsert's remarks).
            var live = await db.Orders.AsNoTracking()
                .TagWith(ExpiryRules.SetReadTag)
                .Where(o => EF.Parameter(ids).Contains(o.Id))
                .Where(ExpiryRules.Live)
                .Select(o => new LiveOrder(o.Id, o.Version, o.BuyerId, o.TicketId, o.PaymentReference, o.ExpiresAt, o.Status == OrderStatus.AwaitingPayment && o.PaymentAttempt == PaymentAttemptState.Charging))
                .ToListAsync(cancellationToken);
            if (live.Count == 0)
            {
                await db.DisposeAsync();
                return null;
            }

            var now = clock.GetUtcNow();

            // A charge in flight decides its order itself: it completes it, or releases it and expires it
            // then (docs/decisions/0013). Its window still closed, so its expiry is still raised.
            var expiring = live.Where(o => !o.Charging).ToList();
            var expiringIds = expiring.ConvertAll(o => o.Id);
            var tickets = await HeldTickets(db, expiringIds).AsNoTracking().ToListAsync(cancellationToken);

            // The events, in the order the aggregates would have raised them: each expiry, then each
            // cancellation, then each unlock, carrying the versions the writes will leave.
            var cancellations = expiring.ConvertAll(o => ExpiryRules.Cancelled(o.Id, o.Version, o.BuyerId, o.TicketId, o.PaymentReference, now));
            var events = new List<IDomainEvent>(live.Count + expiring.Count + tickets.Count);
            events.AddRange(live.Select(o => new ExpirationComplete(o.Id, versions[o.Id], now)));
            events.AddRange(cancellations);
            events.AddRange(tickets.Select(t => ExpiryRules.Unlocked(t, now)));
            return new PreparedSet(
                db,
                now,
                expiring,
                tickets,
                events.ConvertAll(EventTypes.ToOutboxMessage),
                await ExpiredStepsAsync(db, cancellations, tickets, cancellationToken));
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Cancels the set's orders that may expire and unlocks their tickets, each at the version read,
    /// and stores the set's events and audit steps, all in one transaction; returns how many expired.
    /// </summary>
    /// <remarks>
    /// Set-wide statements, not the aggregates: at 10,000 orders after a restart, loading, tracking
    /// and saving two aggregates and three events per order one row at a time took seconds. The rules
    /// the aggregates apply are the statements' predicates (<see cref="ExpiryRules"/>), and each write
    /// names the versions it read, so a payment or cancellation that commits between the read and the
    /// write makes the count come up short: the set is then retried in halves, like a lost save.
    /// </remarks>
    private async Task<int> WriteAsync(PreparedSet set, CancellationToken cancellationToken)
    {
        var db = set.Db;
        var now = set.Now;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await WriteAtReadVersionsAsync(
            db,
            db.Orders.Where(ExpiryRules.Expirable),
            set.Expiring.ConvertAll(o => (o.Id, o.Version)),
            s => s.SetProperty(o => o.Status, OrderStatus.Cancelled)
                .SetProperty(o => o.CancellationReason, CancellationReason.Expired)
                .SetProperty(o => o.PaymentAttempt, PaymentAttemptState.None)
                .SetProperty(o => o.PaymentAttemptStartedAt, (DateTimeOffset?)null)
                .SetProperty(o => o.UpdatedAt, now),
            "orders",
            cancellationToken);
        await WriteAtReadVersionsAsync(
            db,
            HeldTickets(db, set.Expiring.ConvertAll(o => o.Id)),
            set.Tickets.ConvertAll(t => (t.Id, t.Version)),
            s => s.SetProperty(t => t.Status, TicketStatus.Available)
                .SetProperty(t => t.OrderId, (Guid?)null)
                .SetProperty(t => t.ReservedUntil, (DateTimeOffset?)null)
                .SetProperty(t => t.UpdatedAt, now),
            "tickets",
            cancellationToken);
        await SetInsert.InsertAsync(db, set.Events, cancellationToken);
        await SetInsert.InsertAsync(db, set.Steps, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();

        foreach (var order in set.Expiring)
        {
            LogExpired(order.Id, order.ExpiresAt);
        }

        return set.Expiring.Count;
    }

    /// <summary>The tickets these orders hold (the unlock's rule: reserved, and by one of these very orders).</summary>
    private static IQueryable<Ticket> HeldTickets(TicketingDbContext db, List<Guid> orderIds) =>
        db.Tickets
            .Where(t => t.OrderId != null && EF.Parameter(orderIds).Contains(t.OrderId.Value))
            .Where(ExpiryRules.Reserved);

    /// <summary>
    /// Writes <paramref name="change"/> to the rows just read, each only while it still has the version
    /// read and still matches <paramref name="rows"/>: one statement per version, which also moves the
    /// version on and, where the app keeps the concurrency token (SQLite), renews it as a tracked save
    /// would. A row that changed since the read is left alone, and the whole set is refused: its
    /// transaction is rolled back, and the set is retried in halves.
    /// </summary>
    private static async Task WriteAtReadVersionsAsync<T>(
        TicketingDbContext db,
        IQueryable<T> rows,
        List<(Guid Id, int Version)> read,
        Action<UpdateSettersBuilder<T>> change,
        string what,
        CancellationToken cancellationToken)
        where T : AggregateRoot
    {
        var token = Guid.NewGuid().ToByteArray();
        var emulatedToken = ConcurrencyToken.IsEmulated(db, typeof(T));
        var written = 0;
        foreach (var sameVersion in read.GroupBy(r => r.Version, r => r.Id))
        {
            var version = sameVersion.Key;
            var ids = sameVersion.ToList();
            written += await rows
                .Where(r => EF.Parameter(ids).Contains(r.Id) && r.Version == version)
                .ExecuteUpdateAsync(
                    s =>
                    {
                        change(s);
                        s.SetProperty(r => r.Version, r => r.Version + 1);
                        if (emulatedToken)
                        {
                            s.SetProperty(r => EF.Property<byte[]>(r, ConcurrencyToken.PropertyName), token);
                        }
                    },
                    cancellationToken);
        }

        if (written != read.Count)
        {
            await db.Database.RollbackTransactionAsync(cancellationToken);
            throw new DbUpdateConcurrencyException($"{read.Count - written} of {read.Count} {what} changed after the expiry set read them.");
        }
    }

    /// <summary>
    /// Each expiry's step on the audit trail, as the audit reaction records it for a cancellation saved
    /// through the aggregate (the set's statements run no reactions), written with the set's events.
    /// </summary>
    private async Task<List<AuditEntry>> ExpiredStepsAsync(TicketingDbContext db, List<OrderCancelled> cancellations, List<Ticket> unlocked, CancellationToken cancellationToken)
    {
        // The tickets about to be unlocked name their sellers; only an order whose ticket it did not
        // hold any more (withdrawn, or never locked) needs a read.
        var sellers = unlocked.ToDictionary(t => t.Id, t => t.SellerId);
        var others = cancellations.Select(c => c.TicketId).Where(id => !sellers.ContainsKey(id)).Distinct().ToList();
        if (others.Count > 0)
        {
            foreach (var ticket in await db.Tickets.AsNoTracking()
                .Where(t => EF.Parameter(others).Contains(t.Id))
                .Select(t => new { t.Id, t.SellerId })
                .ToListAsync(cancellationToken))
            {
                sellers[ticket.Id] = ticket.SellerId;
            }
        }

        return cancellations.ConvertAll(c => audit.Describe(c, sellers.TryGetValue(c.TicketId, out var seller) ? seller : null));
    }

    /// <summary>A set read and ready to write, on the context that read it (and will write it).</summary>
    private sealed record PreparedSet(
        TicketingDbContext Db,
        DateTimeOffset Now,
        List<LiveOrder> Expiring,
        List<Ticket> Tickets,
        List<OutboxMessage> Events,
        List<AuditEntry> Steps) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Db.DisposeAsync();
    }

    private sealed record Pending(List<Request> Set, Task<PreparedSet?> Prepared);

    private sealed record LiveOrder(Guid Id, int Version, Guid BuyerId, Guid TicketId, string? PaymentReference, DateTimeOffset ExpiresAt, bool Charging);

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
            Interlocked.Decrement(ref _queued);
            yield return request;
        }
    }

    private sealed record Request(DueExpiry Expiry, TaskCompletionSource? Done);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} expired (window closed at {ExpiresAt:O})")]
    private partial void LogExpired(Guid orderId, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Expiry set of {Count} committed: {Expired} orders expired")]
    private partial void LogSetCommitted(int count, int expired);

    [LoggerMessage(Level = LogLevel.Information, Message = "Expiry set of {Count} lost a race with another change; retrying it in halves")]
    private partial void LogSetConflicted(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} expiry lost {Attempts} races in a row; left to the overdue sweep")]
    private partial void LogGaveUp(Guid orderId, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Expiry set of {Count} failed; the orders stay live until the overdue sweep retries them")]
    private partial void LogSetFailed(Exception ex, int count);
}
