using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Testing;

namespace Ticketing.Bench.Figures;

/// <summary>
/// B1: reservations (<c>POST /api/orders</c>) on distinct tickets through 16 keep-alive connections,
/// against a raw prepared conditional UPDATE per ticket, one transaction each, on a fresh WAL file.
/// </summary>
internal static class ReserveThroughput
{
    public static async Task<Row> RunAsync(BenchApp app, int reservations, int perBuyer, int rounds, Action<string> log)
    {
        if (perBuyer is < 1 or > 5)
        {
            throw new ArgumentOutOfRangeException(nameof(perBuyer), perBuyer, "A buyer may hold 1 to 5 live reservations (Ordering:MaxLiveOrdersPerBuyer).");
        }

        log($"B1: {reservations} reservations per round, each on its own ticket, {perBuyer} per buyer");
        var seller = await app.SignUpAsync();
        const int workers = 16;

        // A buyer may hold only a few live reservations (Ordering:MaxLiveOrdersPerBuyer, 5), as at a
        // real on-sale where many buyers take a ticket or two: each round signs up its own buyers, who
        // reserve perBuyer tickets each (4 unless --b1-per-buyer says otherwise; 1 is a buyer's first
        // reservation every time), never two at once, through 16 keep-alive connections.
        var connections = Enumerable.Range(0, workers).Select(_ => app.NewCookielessClient()).ToArray();
        var appRates = new List<double>();
        var rawRates = new List<double>();
        var appCpus = new List<double>();
        var rawCpus = new List<double>();
        var failures = 0;
        var writerShares = new List<double>();
        var writerMs = new List<double>();
        var batchSizes = new List<double>();
        using var writer = new GroupCommitMeter(app.Services);
        using var onCommit = new HostMeter(app.Services, OnCommitDelivery.MeterName);
        var pushWaits = new List<double>();
        var leftToOutbox = 0d;

        // Round 0 is an untimed warm-up of both paths: the JIT is still rewriting hot methods for the
        // first few thousand requests, which a server that has been up for a while has long done.
        for (var round = 0; round <= rounds; round++)
        {
            var tickets = await BenchApp.CreateTicketsAsync(seller, reservations);
            var buyers = await SignUpCookiesAsync(app, connections, (reservations + perBuyer - 1) / perBuyer);

            // The listings' and sign-ups' own events are delivered first: the round times reservations.
            await app.WaitForAsync("SELECT COUNT(*) FROM outbox_messages WHERE ProcessedAt IS NULL", 0, TimeSpan.FromMinutes(5));
            log($"  round {round}: reserving");
            var next = -1;
            var cpu = Stats.ProcessCpu();
            writer.Reset();
            onCommit.Reset();
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(connections.Select(async connection =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < tickets.Count)
                {
                    // Consecutive tickets go to different buyers, so that no buyer has two reservations in flight.
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(new { ticketId = tickets[i] }) };
                    request.Headers.Add("Cookie", buyers[i % buyers.Length]);
                    using var response = await connection.SendAsync(request);
                    if (response.StatusCode != HttpStatusCode.Created)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }));
            sw.Stop();
            var batches = writer.Batches.Count;
            var pieces = writer.Batches.Sum(b => b.Size);
            var writing = writer.Seconds.Sum();
            var appCpu = (Stats.ProcessCpu() - cpu).TotalMilliseconds / reservations;
            var appRate = reservations / sw.Elapsed.TotalSeconds;

            // Each reservation hands over its ticket's lock and its order's creation; the lanes drain
            // before the baseline runs, so that their tail is measured and does not share its cores.
            await WaitUntilAsync(() => onCommit.Of(OnCommitDelivery.WaitInstrument).Count + onCommit.Of(OnCommitDelivery.LeftInstrument).Sum(m => m.Value) >= 2 * reservations, TimeSpan.FromSeconds(60));
            cpu = Stats.ProcessCpu();
            var rawRate = RawConditionalUpdates(reservations);
            var rawCpu = (Stats.ProcessCpu() - cpu).TotalMilliseconds / reservations;
            var share = writing / sw.Elapsed.TotalSeconds;
            var perPiece = writing * 1000 / Math.Max(1, pieces);
            var perBatch = (double)pieces / Math.Max(1, batches);
            log($"  round {round}{(round == 0 ? " (warm-up)" : "")}: app {appRate:0} /s ({appCpu:0.00} ms CPU each; writer busy {share:P0}, {perPiece:0.00} ms a reservation, {perBatch:0.0} a batch), raw {rawRate:0} /s ({rawCpu:0.000} ms CPU each), load {Stats.LoadAverage()}");
            if (round > 0)
            {
                appRates.Add(appRate);
                rawRates.Add(rawRate);
                appCpus.Add(appCpu);
                rawCpus.Add(rawCpu);
                writerShares.Add(share);
                writerMs.Add(perPiece);
                batchSizes.Add(perBatch);
                pushWaits.AddRange(onCommit.Of(OnCommitDelivery.WaitInstrument).Select(m => m.Value * 1000));
                leftToOutbox += onCommit.Of(OnCommitDelivery.LeftInstrument).Sum(m => m.Value);
            }
        }

        // Where the time goes: every reservation commits once, then the outbox dispatcher commits
        // one delivery row per (event, handler) and one claim per batch, all behind SQLite's single writer.
        double messages, deliveries;
        using (var db = app.OpenDatabase())
        {
            messages = BenchDatabase.Scalar(db, "SELECT COUNT(*) FROM outbox_messages");
            deliveries = BenchDatabase.Scalar(db, "SELECT COUNT(*) FROM outbox_deliveries");
        }

        var orderCount = (double)reservations * (rounds + 1);
        var a = Stats.Median(appRates);
        var b = Stats.Median(rawRates);
        return new Row("B1 reserve throughput", "reservations/s vs commits/s", a, b, a / b, "≥ 0.3 and ≥ 2,000/s", a / b >= 0.3 && a >= 2000,
            $"{reservations} POST /api/orders per round, {workers} keep-alive connections, {perBuyer} reservations per signed-up buyer (the live-order cap is 5), distinct tickets, one untimed warm-up round first; {failures} non-201. In the app DB after B1 (incl. sign-ups and listings): {messages:N0} outbox messages and {deliveries:N0} per-handler delivery rows (those of handlers that changed nothing share their batch's one completion commit) for {orderCount:N0} reservations (≈ {deliveries / orderCount:0.0} delivery rows per reservation). Baseline: prepared conditional UPDATE, one transaction each, one connection, separate WAL file. CPU per reservation (this whole process: the app, its outbox dispatcher and the load generator) {Stats.Median(appCpus):0.00} ms, per raw commit {Stats.Median(rawCpus):0.000} ms: on a shared machine the CPU cost holds where the rates swing with the load. The one writer (the group commit's meter, `{GroupCommit.MeterName}`): busy {Stats.Median(writerShares):P0} of each round, {Stats.Median(writerMs):0.00} ms of it per reservation, {Stats.Median(batchSizes):0.0} reservations a transaction (medians of the rounds); a writer busy all the time caps the rate at 1 / that time. Live pushes (the on-commit lanes' meter, `{OnCommitDelivery.MeterName}`): {pushWaits.Count:N0} events of the timed rounds waited in their lane p50 {Stats.Percentile(pushWaits, 0.50):0.0} ms, p99 {Stats.Percentile(pushWaits, 0.99):0.0} ms, max {(pushWaits.Count > 0 ? pushWaits.Max() : 0):0.0} ms before their push started; {leftToOutbox:N0} were left to the outbox dispatcher. Load average after the figure: {Stats.LoadAverage()}.");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition() && deadline.Elapsed < timeout)
        {
            await Task.Delay(20);
        }
    }

    private static async Task<string[]> SignUpCookiesAsync(BenchApp app, HttpClient[] connections, int count)
    {
        var cookies = new string[count];
        var next = -1;
        await Task.WhenAll(connections.Select(async connection =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                cookies[i] = await app.SignUpCookieAsync(connection);
            }
        }));
        return cookies;
    }

    /// <summary>A raw prepared conditional UPDATE per ticket, each in its own transaction, on a fresh WAL file.</summary>
    private static double RawConditionalUpdates(int count)
    {
        var path = Path.Combine(Path.GetTempPath(), "ticketing-bench", $"raw-{Guid.NewGuid():N}.db");
        try
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            BenchDatabase.Exec(connection, "PRAGMA journal_mode=WAL;");
            BenchDatabase.Exec(connection, "CREATE TABLE tickets (Id TEXT NOT NULL PRIMARY KEY, SellerId TEXT NOT NULL, Title TEXT NOT NULL, Price INTEGER NOT NULL, Status TEXT NOT NULL, OrderId TEXT NULL, ReservedUntil INTEGER NULL, UpdatedAt INTEGER NOT NULL, RowVersion BLOB NOT NULL, Version INTEGER NOT NULL);");
            var ids = new List<(string Id, byte[] Token)>();
            using (var tx = connection.BeginTransaction())
            {
                using var insert = connection.CreateCommand();
                insert.Transaction = tx;
                insert.CommandText = "INSERT INTO tickets VALUES (@id, @seller, 'Bench ticket', 1050, 'Available', NULL, NULL, 0, @rv, 1)";
                var pId = insert.Parameters.Add("@id", SqliteType.Text);
                insert.Parameters.AddWithValue("@seller", Guid.NewGuid().ToString());
                var pRv = insert.Parameters.Add("@rv", SqliteType.Blob);
                for (var i = 0; i < count; i++)
                {
                    var id = Guid.NewGuid().ToString().ToUpperInvariant();
                    var token = Guid.NewGuid().ToByteArray();
                    pId.Value = id;
                    pRv.Value = token;
                    insert.ExecuteNonQuery();
                    ids.Add((id, token));
                }

                tx.Commit();
            }

            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE tickets SET Status='Reserved', OrderId=@order, ReservedUntil=@until, UpdatedAt=@now, RowVersion=@new, Version=Version+1 WHERE Id=@id AND RowVersion=@t";
            var order = update.Parameters.Add("@order", SqliteType.Text);
            var until = update.Parameters.Add("@until", SqliteType.Integer);
            var now = update.Parameters.Add("@now", SqliteType.Integer);
            var fresh = update.Parameters.Add("@new", SqliteType.Blob);
            var idP = update.Parameters.Add("@id", SqliteType.Text);
            var tP = update.Parameters.Add("@t", SqliteType.Blob);
            update.Prepare();
            var sw = Stopwatch.StartNew();
            foreach (var (id, token) in ids)
            {
                using var tx = connection.BeginTransaction();
                update.Transaction = tx;
                order.Value = Guid.NewGuid().ToString();
                until.Value = DateTime.UtcNow.Ticks;
                now.Value = DateTime.UtcNow.Ticks;
                fresh.Value = Guid.NewGuid().ToByteArray();
                idP.Value = id;
                tP.Value = token;
                if (update.ExecuteNonQuery() != 1)
                {
                    throw new InvalidOperationException("Raw conditional update missed its row.");
                }

                tx.Commit();
            }

            sw.Stop();
            return count / sw.Elapsed.TotalSeconds;
        }
        finally
        {
            BenchDatabase.Delete(path);
        }
    }
}
