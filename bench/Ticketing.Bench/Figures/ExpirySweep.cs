using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Bench.Figures;

/// <summary>
/// B4: thousands of reservations whose window closed while the app was down, expired after it starts,
/// against one transaction of two set-wide UPDATEs on a separate WAL file.
/// </summary>
internal static class ExpirySweep
{
    public static async Task<Row> RunAsync(int orders, int rounds, Action<string> log)
    {
        log($"B4: {orders} overdue orders per round, {rounds} rounds");
        var appTimes = new List<double>();
        var drainTimes = new List<double>();
        var startTimes = new List<double>();
        var rawTimes = new List<double>();
        var cpuTimes = new List<double>();
        var startCpuTimes = new List<double>();
        var expiredAtStart = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            using var app = new BenchApp();
            var seeding = Stopwatch.StartNew();
            await SeedOverdueOrdersAsync(app.DatabasePath, orders);
            log($"  seeded {orders} overdue reservations in {seeding.ElapsedMilliseconds} ms");

            // As after a restart: once the host has started, its recovery queues every live order,
            // all already due. The clock runs from then: how long the host takes to start (JIT,
            // migrations) is reported beside the figure, not in it.
            var cpu = Stats.ProcessCpu();
            var sw = Stopwatch.StartNew();
            _ = app.BaseAddress;
            startTimes.Add(sw.Elapsed.TotalMilliseconds);
            startCpuTimes.Add((Stats.ProcessCpu() - cpu).TotalMilliseconds);
            cpu = Stats.ProcessCpu();
            sw.Restart();
            using (var db = app.OpenDatabase())
            {
                expiredAtStart.Add(BenchDatabase.Scalar(db, "SELECT COUNT(*) FROM orders WHERE Status = 'Cancelled'"));
            }

            await app.WaitForAsync("SELECT (SELECT COUNT(*) FROM orders WHERE Status <> 'Cancelled') + (SELECT COUNT(*) FROM tickets WHERE Status <> 'Available')", 0, TimeSpan.FromMinutes(30));
            appTimes.Add(sw.Elapsed.TotalMilliseconds);
            cpuTimes.Add((Stats.ProcessCpu() - cpu).TotalMilliseconds);
            await app.WaitForAsync("SELECT COUNT(*) FROM outbox_messages WHERE ProcessedAt IS NULL", 0, TimeSpan.FromMinutes(30));
            drainTimes.Add(sw.Elapsed.TotalMilliseconds);
            rawTimes.Add(RawExpiry(orders));
            log($"  round {round + 1}: app {appTimes[^1]:0} ms after the host had started ({cpuTimes[^1]:0} ms CPU; {expiredAtStart[^1]:0} expired before; host start {startTimes[^1]:0} ms, {startCpuTimes[^1]:0} ms CPU; events drained {drainTimes[^1]:0} ms after start), raw {rawTimes[^1]:0.0} ms, load {Stats.LoadAverage()}");
        }

        var a = Stats.Median(appTimes);
        var b = Stats.Median(rawTimes);
        return new Row($"B4 expiry sweep ({orders:N0} orders)", "wall ms (lower is better)", a, b, b / a, "≤ 1,000 ms", a <= 1000,
            $"Real path after a restart: {orders:N0} reservations whose window closed while the app was down are seeded (ticket locked by its order, earlier events processed), then the app starts and, once started, its recovery queues them all at once; timed from the host's start completing (it took median {Stats.Median(startTimes):0} ms, {Stats.Median(startCpuTimes):0} ms of CPU, not counted; orders expired by then: {expiredAtStart.Max():0}) until every order is Cancelled and every ticket Available; all outbox events processed at median {Stats.Median(drainTimes):0} ms. Baseline: one transaction with one UPDATE of orders and one of tickets on a separate WAL file. Ratio = baseline / app. {rounds} rounds. CPU used by the process over the figure: median {Stats.Median(cpuTimes):0} ms. Load average after the figure: {Stats.LoadAverage()}.");
    }

    /// <summary>
    /// Leaves the database as reservations placed through the app would, once their events had been
    /// dispatched: each ticket locked by its order, each order created with its window closed.
    /// Written with the domain's own methods in large saves, so that 10,000 take seconds, not minutes.
    /// </summary>
    private static async Task SeedOverdueOrdersAsync(string databasePath, int count)
    {
        var options = new DbContextOptionsBuilder<SqliteTicketingDbContext>().UseSqlite($"Data Source={databasePath}").Options;
        await using (var db = new SqliteTicketingDbContext(options))
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            await db.Database.MigrateAsync();
        }

        var window = TimeSpan.FromMinutes(15);
        var placedAt = DateTimeOffset.UtcNow - window - TimeSpan.FromMinutes(5);
        var seller = Guid.NewGuid();
        var buyers = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid()).ToArray();
        const int perSave = 2000;
        for (var done = 0; done < count; done += perSave)
        {
            await using var db = new SqliteTicketingDbContext(options);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var aggregates = new List<AggregateRoot>();
            for (var i = done; i < Math.Min(count, done + perSave); i++)
            {
                var ticket = Ticket.List(Guid.NewGuid(), seller, TicketDetails.Create($"Bench ticket {i}", 10.5m + (i % 50), venue: "Bench Hall", description: "A ticket listed by the benchmark."), placedAt);
                var buyer = buyers[i % buyers.Length];
                var order = Order.Place(Guid.NewGuid(), buyer, ticket.Id, ticket.Title, ticket.Price, placedAt, window);
                ticket.Lock(order.Id, buyer, order.ExpiresAt, placedAt);
                db.Tickets.Add(ticket);
                db.Orders.Add(order);
                aggregates.Add(ticket);
                aggregates.Add(order);
            }

            foreach (var aggregate in aggregates)
            {
                db.Entry(aggregate).Property(ConcurrencyToken.PropertyName).CurrentValue = Guid.NewGuid().ToByteArray();
                foreach (var domainEvent in aggregate.DomainEvents)
                {
                    var message = EventTypes.ToOutboxMessage(domainEvent);
                    message.ProcessedAt = placedAt;
                    db.OutboxMessages.Add(message);
                }

                aggregate.ClearDomainEvents();
            }

            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync();
        }
    }

    private static double RawExpiry(int count)
    {
        var path = Path.Combine(Path.GetTempPath(), "ticketing-bench", $"raw-expiry-{Guid.NewGuid():N}.db");
        try
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            BenchDatabase.Exec(connection, "PRAGMA journal_mode=WAL;");
            BenchDatabase.Exec(connection, "CREATE TABLE orders (Id TEXT NOT NULL PRIMARY KEY, TicketId TEXT NOT NULL, Status TEXT NOT NULL, ExpiresAt INTEGER NOT NULL, CancellationReason TEXT NULL, UpdatedAt INTEGER NOT NULL, RowVersion BLOB NOT NULL, Version INTEGER NOT NULL);");
            BenchDatabase.Exec(connection, "CREATE INDEX IX_orders_Status_ExpiresAt ON orders (Status, ExpiresAt);");
            BenchDatabase.Exec(connection, "CREATE TABLE tickets (Id TEXT NOT NULL PRIMARY KEY, Status TEXT NOT NULL, OrderId TEXT NULL, ReservedUntil INTEGER NULL, UpdatedAt INTEGER NOT NULL, RowVersion BLOB NOT NULL, Version INTEGER NOT NULL);");
            var past = DateTime.UtcNow.AddSeconds(-5).Ticks;
            using (var tx = connection.BeginTransaction())
            {
                using var o = connection.CreateCommand();
                o.Transaction = tx;
                o.CommandText = "INSERT INTO orders VALUES (@id, @t, 'Created', @exp, NULL, 0, randomblob(16), 1); INSERT INTO tickets VALUES (@t, 'Reserved', @id, @exp, 0, randomblob(16), 2);";
                var id = o.Parameters.Add("@id", SqliteType.Text);
                var t = o.Parameters.Add("@t", SqliteType.Text);
                o.Parameters.AddWithValue("@exp", past);
                for (var i = 0; i < count; i++)
                {
                    id.Value = Guid.NewGuid().ToString();
                    t.Value = Guid.NewGuid().ToString();
                    o.ExecuteNonQuery();
                }

                tx.Commit();
            }

            var sw = Stopwatch.StartNew();
            using (var tx = connection.BeginTransaction())
            {
                using var u = connection.CreateCommand();
                u.Transaction = tx;
                u.CommandText = "UPDATE orders SET Status='Cancelled', CancellationReason='Expired', UpdatedAt=@now, RowVersion=randomblob(16), Version=Version+1 WHERE Status='Created' AND ExpiresAt < @now; " +
                    "UPDATE tickets SET Status='Available', OrderId=NULL, ReservedUntil=NULL, UpdatedAt=@now, RowVersion=randomblob(16), Version=Version+1 WHERE Status='Reserved' AND ReservedUntil < @now;";
                u.Parameters.AddWithValue("@now", DateTime.UtcNow.Ticks);
                var changed = u.ExecuteNonQuery();
                tx.Commit();
                if (changed != 2 * count)
                {
                    throw new InvalidOperationException($"Raw expiry changed {changed} rows, expected {2 * count}.");
                }
            }

            return sw.Elapsed.TotalMilliseconds;
        }
        finally
        {
            BenchDatabase.Delete(path);
        }
    }
}
