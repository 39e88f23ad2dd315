using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Orders.Rules;
using Ticketing.Domain.Tickets;
using Ticketing.Domain.Tickets.Rules;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

using static Ticketing.Infrastructure.Tests.Support.GroupCommitQueue;

namespace Ticketing.Infrastructure.Tests.Persistence;

/// <summary>
/// Reservations that arrive while the write lock is taken are written together, one transaction
/// for up to <see cref="GroupCommit.MaxBatch"/>, each still decided on its own.
/// </summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task FortyReservations_QueuedWhileTheDatabaseIsLocked_CommitInTwoTransactions_EachAnsweredOnlyAfterItsCommit()
    {
        var writes = new OrderInsertTransactions();
        await using var app = new TicketingApp();
        var services = WithInterceptors(app, writes);
        var tickets = await services.ListTicketsAsync(40);
        using var meter = new GroupCommitMeter(services);

        Task<Outcome<OrderView>[]> race;
        using (SqliteWriteLock.Take(app.DatabasePath))
        {
            await BatchWaitingForTheLockAsync(services);
            race = Race.RunAsync(tickets.Select(t => (Func<Task<OrderView>>)(() => services.ReserveAsync(Guid.NewGuid(), t))).ToList());
            await QueuedAsync(services, tickets.Count);

            // Every reservation has read its ticket and is queued: none may answer before its commit.
            await Task.Delay(200);
            Assert.False(race.IsCompleted, "A reservation was answered while the database was locked for writing.");
            Assert.Empty(writes.Transactions);
        }

        var outcomes = await race;
        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Error?.ToString()));

        // Queued behind the batch that held the queue: 32, then 8. Without the group commit, 40 transactions.
        Assert.Equal([8, GroupCommit.MaxBatch], writes.Transactions.Values.Order());

        // The meter saw the same: the empty piece's batch of one (which waited for the lock the whole
        // time), then 32 and 8, all committed.
        Assert.Equal([(1, "committed"), (GroupCommit.MaxBatch, "committed"), (8, "committed")], meter.Batches);
        Assert.True(meter.Seconds[0] >= 0.2, $"The first batch waited for the write lock, yet took {meter.Seconds[0]} s.");

        await using var db = services.OpenDb();
        Assert.Equal(40, await db.Tickets.AsNoTracking().CountAsync(t => tickets.Contains(t.Id) && t.Status == TicketStatus.Reserved));
        Assert.Equal(40, await db.OutboxMessages.AsNoTracking().CountAsync(m => m.Type == nameof(OrderCreated)));
    }

    [Fact]
    public async Task TwoBuyersOfOneTicket_InOneBatch_OneWins_TheOtherIsRefusedAlone_AndTheRestCommit()
    {
        var writes = new OrderInsertTransactions();
        await using var app = new TicketingApp();
        var services = WithInterceptors(app, writes);
        var tickets = await services.ListTicketsAsync(11);
        var contested = tickets[0];
        var racers = tickets.Select(t => (Func<Task<OrderView>>)(() => services.ReserveAsync(Guid.NewGuid(), t)))
            .Append(() => services.ReserveAsync(Guid.NewGuid(), contested))
            .ToList();

        Task<Outcome<OrderView>[]> race;
        using (SqliteWriteLock.Take(app.DatabasePath))
        {
            await BatchWaitingForTheLockAsync(services);
            race = Race.RunAsync(racers);
            await QueuedAsync(services, racers.Count);
        }

        var outcomes = await race;
        var forContested = new[] { outcomes[0], outcomes[^1] };
        Assert.Single(forContested, o => o.Succeeded);
        var lost = Assert.IsType<BusinessRuleViolationException>(Assert.Single(forContested, o => !o.Succeeded).Error);
        Assert.IsType<TicketMustBeAvailableRule>(lost.Rule);
        Assert.Equal("Ticket is already reserved", lost.Message);
        Assert.All(outcomes[1..^1], o => Assert.True(o.Succeeded, o.Error?.ToString()));
        // One transaction (the loser's insert ran in it too, and was rolled back to its savepoint).
        Assert.Single(writes.Transactions);

        await using var db = services.OpenDb();
        Assert.Equal(1, await db.Orders.AsNoTracking().CountAsync(o => o.TicketId == contested));
        Assert.Equal(11, await db.Orders.AsNoTracking().CountAsync());
        Assert.Equal(11, await db.OutboxMessages.AsNoTracking().CountAsync(m => m.Type == nameof(OrderCreated)));
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(4, 1)]
    public async Task TwoReservationsOfOneBuyer_InOneBatch_TheSecondCountsAgainUnderTheLock(int liveBefore, int placed)
    {
        var writes = new OrderInsertTransactions();
        await using var app = new TicketingApp();
        var services = WithInterceptors(app, writes);
        var buyer = Guid.NewGuid();
        var tickets = await services.ListTicketsAsync(liveBefore + 3);

        // The buyer has a gate row: both requests read the same stamp, outside the lock.
        await services.CancelAsync(buyer, (await services.ReserveAsync(buyer, tickets[^1])).Id);
        for (var i = 0; i < liveBefore; i++)
        {
            await services.ReserveAsync(buyer, tickets[i]);
        }

        writes.Transactions.Clear();
        Task<Outcome<OrderView>[]> race;
        using (SqliteWriteLock.Take(app.DatabasePath))
        {
            await BatchWaitingForTheLockAsync(services);
            race = Race.RunAsync<OrderView>(
            [
                () => services.ReserveAsync(buyer, tickets[liveBefore]),
                () => services.ReserveAsync(buyer, tickets[liveBefore + 1]),
            ]);
            await QueuedAsync(services, 2);
        }

        var outcomes = await race;
        Assert.Single(writes.Transactions);
        Assert.Equal(placed, outcomes.Count(o => o.Succeeded));
        Assert.All(outcomes.Where(o => !o.Succeeded), o =>
            Assert.IsType<BuyerMustStayWithinLiveOrderLimitRule>(Assert.IsType<BusinessRuleViolationException>(o.Error).Rule));

        // The second's first try (on the stamp its request read) lost to the first, and it counted
        // again under the lock: one order per success, no other.
        await using var db = services.OpenDb();
        var live = await db.Orders.AsNoTracking().CountAsync(o => o.BuyerId == buyer && o.Status == OrderStatus.Created);
        Assert.Equal(liveBefore + placed, live);
        Assert.Equal(liveBefore + placed, await db.Tickets.AsNoTracking().CountAsync(t => t.Status == TicketStatus.Reserved));
        Assert.Equal(liveBefore + placed + 1, await db.OutboxMessages.AsNoTracking().CountAsync(m => m.Type == nameof(OrderCreated)));
    }

    [Fact]
    public async Task EachPiece_RunsInItsCallersContext_NotInTheContextOfTheCallWhoseBatchStartedTheDrain()
    {
        // What a request's pieces read from their context: the signed-in user the audit trail
        // records, the request that may have ended by the time a later batch runs.
        var caller = new AsyncLocal<string>();
        await using var app = new TicketingApp();
        var commits = app.Services.GetRequiredService<GroupCommit>();
        var seen = new ConcurrentDictionary<int, string?>();

        Task[] pieces;
        using (SqliteWriteLock.Take(app.DatabasePath))
        {
            caller.Value = "the first caller";
            await BatchWaitingForTheLockAsync(app.Services);
            pieces = Enumerable.Range(0, 5).Select(i => Task.Run(() =>
            {
                caller.Value = $"caller {i}";
                return commits.RunAsync(async db =>
                {
                    seen[i] = caller.Value;
                    await db.Database.ExecuteSqlAsync($"SELECT 1");
                    seen[i] += caller.Value == $"caller {i}" ? "" : $", then {caller.Value}";
                });
            })).ToArray();
            await QueuedAsync(app.Services, pieces.Length);
        }

        await Task.WhenAll(pieces);
        Assert.All(Enumerable.Range(0, 5), i => Assert.Equal($"caller {i}", seen[i]));
    }

    [Fact]
    public async Task APieceThatThrowsAfterItsSave_IsRolledBackAlone_AndItsCallerGetsItsException()
    {
        await using var app = new TicketingApp();
        var commits = app.Services.GetRequiredService<GroupCommit>();
        var buyers = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };

        Task[] pieces;
        using (SqliteWriteLock.Take(app.DatabasePath))
        {
            await BatchWaitingForTheLockAsync(app.Services);
            pieces =
            [
                commits.RunAsync(db => AddGateAsync(db, buyers[0])),
                commits.RunAsync(async db =>
                {
                    await AddGateAsync(db, buyers[1]);
                    throw new InvalidOperationException("changed its mind after saving");
                }),
                commits.RunAsync(db => AddGateAsync(db, buyers[2])),
            ];
            await QueuedAsync(app.Services, 3);
        }

        await pieces[0];
        await pieces[2];
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => pieces[1]);
        Assert.Equal("changed its mind after saving", error.Message);
        Assert.Equal([buyers[0], buyers[2]], await GatesOfAsync(app.Services, buyers));
    }

    [Fact]
    public async Task APieceRolledBackAfterItsSave_PushesNothingLive_WhileTheOthersPushOnCommit()
    {
        var pushes = new LivePushRecorder();
        await using var app = new TicketingApp();
        var services = pushes.Attach(app).Services;
        var commits = services.GetRequiredService<GroupCommit>();
        var seller = Guid.NewGuid();
        var listings = new[] { "Kept before", "Rolled back", "Kept after" }
            .Select(title => Ticket.List(Guid.NewGuid(), seller, TicketDetails.Create(title, 20m), DateTimeOffset.UtcNow))
            .ToArray();

        Task[] pieces;
        using (SqliteWriteLock.Take(app.DatabasePath))
        {
            await BatchWaitingForTheLockAsync(services);
            pieces =
            [
                commits.RunAsync(db => AddListingAsync(db, listings[0])),
                commits.RunAsync(async db =>
                {
                    await AddListingAsync(db, listings[1]);
                    throw new InvalidOperationException("withdrawn before it was committed");
                }),
                commits.RunAsync(db => AddListingAsync(db, listings[2])),
            ];
            await QueuedAsync(services, 3);
        }

        await pieces[2];
        await Assert.ThrowsAsync<InvalidOperationException>(() => pieces[1]);

        // The batch's events are handed over together, in order: once the third listing is pushed,
        // a push of the second would already have been made.
        await TicketingApp.WaitUntilAsync(
            () => Task.FromResult(pushes.Tickets.Any(c => c.Ticket.Id == listings[2].Id)),
            TimeSpan.FromSeconds(15),
            "the third listing is pushed");
        await Task.Delay(300);
        Assert.Contains(pushes.Tickets, c => c.Ticket.Id == listings[0].Id);
        Assert.DoesNotContain(pushes.Tickets, c => c.Ticket.Id == listings[1].Id);
        await using var read = services.OpenDb();
        Assert.False(await read.Tickets.AnyAsync(t => t.Id == listings[1].Id));
    }

    [Fact]
    public async Task ACommitThatFails_FailsEveryPieceOfItsBatch_AndWritesNothing()
    {
        var failingCommit = new FailCommitOfGateInserts();
        await using var app = new TicketingApp();
        var services = app.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.ConfigureDbContext<SqliteTicketingDbContext>(o => o.AddInterceptors(failingCommit)))).Services;
        var commits = services.GetRequiredService<GroupCommit>();
        var buyers = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();
        using var meter = new GroupCommitMeter(services);

        Task[] pieces;
        using (SqliteWriteLock.Take(app.DatabasePath))
        {
            await BatchWaitingForTheLockAsync(services);
            pieces = buyers.Select(b => commits.RunAsync(db => AddGateAsync(db, b))).ToArray();
            await QueuedAsync(services, buyers.Length);
        }

        foreach (var piece in pieces)
        {
            var error = await Assert.ThrowsAsync<IOException>(() => piece);
            Assert.Equal("disk gone", error.Message);
        }

        Assert.Empty(await GatesOfAsync(services, buyers));

        // The queue goes on: the next piece commits.
        failingCommit.Disarm();
        await commits.RunAsync(db => AddGateAsync(db, buyers[0]));
        Assert.Equal([buyers[0]], await GatesOfAsync(services, buyers));
        Assert.Equal([(1, "committed"), (5, "failed"), (1, "committed")], meter.Batches);
    }

    [Fact]
    public async Task APieceCancelledWhileQueued_IsNeverWritten()
    {
        await using var app = new TicketingApp();
        var commits = app.Services.GetRequiredService<GroupCommit>();
        var (kept, dropped) = (Guid.NewGuid(), Guid.NewGuid());
        using var cancel = new CancellationTokenSource();

        Task first, second;
        using (SqliteWriteLock.Take(app.DatabasePath))
        {
            // The first piece takes the batch in progress (waiting for the lock); the second queues behind it.
            first = commits.RunAsync(db => AddGateAsync(db, kept));
            await QueuedAsync(app.Services, 0);
            second = commits.RunAsync(db => AddGateAsync(db, dropped), cancel.Token);
            await cancel.CancelAsync();
        }

        await first;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        Assert.Equal([kept], await GatesOfAsync(app.Services, [kept, dropped]));
    }

    private static async Task AddListingAsync(TicketingDbContext db, Ticket listing)
    {
        db.Tickets.Add(listing);
        await db.SaveChangesAsync();
    }

    private static async Task AddGateAsync(TicketingDbContext db, Guid buyer)
    {
        db.Add(new BuyerReservationGate { BuyerId = buyer, Stamp = Guid.NewGuid() });
        await db.SaveChangesAsync();
    }

    private static async Task<List<Guid>> GatesOfAsync(IServiceProvider services, Guid[] buyers)
    {
        await using var db = services.OpenDb();
        var found = await db.Set<BuyerReservationGate>().AsNoTracking().Where(g => buyers.Contains(g.BuyerId)).Select(g => g.BuyerId).ToListAsync();
        return buyers.Where(found.Contains).ToList();
    }

    /// <summary>How many order inserts each transaction ran (a rolled-back one included).</summary>
    private sealed class OrderInsertTransactions : DbCommandInterceptor
    {
        public ConcurrentDictionary<DbTransaction, int> Transactions { get; } = new();

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            Count(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Count(command);
            return ValueTask.FromResult(result);
        }

        private void Count(DbCommand command)
        {
            if (command.CommandText.Contains("INSERT INTO \"orders\"", StringComparison.Ordinal))
            {
                Assert.NotNull(command.Transaction);
                Transactions.AddOrUpdate(command.Transaction, 1, (_, n) => n + 1);
            }
        }
    }

    /// <summary>Fails the commit of every transaction that inserted a buyer's gate row, until disarmed.</summary>
    private sealed class FailCommitOfGateInserts : DbCommandInterceptor, IDbTransactionInterceptor
    {
        private readonly ConcurrentDictionary<DbTransaction, bool> _inserted = new();
        private volatile bool _armed = true;

        public void Disarm() => _armed = false;

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            Note(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Note(command);
            return ValueTask.FromResult(result);
        }

        public ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
            _armed && _inserted.ContainsKey(transaction)
                ? throw new IOException("disk gone")
                : ValueTask.FromResult(result);

        private void Note(DbCommand command)
        {
            if (command.Transaction is { } transaction && command.CommandText.Contains("INSERT INTO \"buyer_reservation_gates\"", StringComparison.Ordinal))
            {
                _inserted[transaction] = true;
            }
        }
    }
}
