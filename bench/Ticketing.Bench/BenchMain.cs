using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Events;
using Ticketing.Bench.Figures;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Bench;

internal sealed record Row(string Figure, string Unit, double App, double Baseline, double Ratio, string Target, bool? Met, string Notes);

internal static class BenchMain
{
    private static readonly List<Row> Rows = [];
    private static bool _quick;
    private static int _rounds = 5;

    public static async Task<int> Main(string[] args)
    {
        if (args.FirstOrDefault() == HeadlessPages.DriverArg)
        {
            return await HeadlessPages.DriveAsync(args);
        }

        _quick = args.Contains("--quick");
        _rounds = IntArg(args, "--rounds", _quick ? 3 : 5);
        var only = StrArg(args, "--only");
        var output = StrArg(args, "--out") ?? FindDocsPath();
        var started = DateTime.UtcNow;
        Log($"Ticketing bench: quick={_quick} rounds={_rounds} only={only ?? "all"}");

        bool Run(string name) => only is null || only.Split(',').Contains(name, StringComparer.OrdinalIgnoreCase);

        double? b1App = null;
        if (Run("B1") || Run("B1b") || Run("B3"))
        {
            using var app = new BenchApp();
            _ = app.BaseAddress;
            if (Run("B1") || Run("B1b"))
            {
                b1App = await B1Async(app, IntArg(args, "--b1-reservations", _quick ? 150 : 1000));
            }

            if (Run("B1b"))
            {
                await B1bAsync(app, b1App ?? 1, IntArg(args, "--b1b-seconds", _quick ? 2 : 5));
            }
        }

        // On a shared machine, --quiet-load L waits (up to --quiet-minutes, default 60) before each of these figures for a 1-minute load average under L.
        var quiet = StrArg(args, "--quiet-load") is { } q ? double.Parse(q, CultureInfo.InvariantCulture) : (double?)null;
        var patience = TimeSpan.FromMinutes(IntArg(args, "--quiet-minutes", 60));
        Task Quiet() => Stats.WaitForQuietAsync(quiet, patience, Log);

        if (Run("B2"))
        {
            await Quiet();
            Rows.Add(await ListingRead.RunAsync(IntArg(args, "--b2-listings", 10_000), _rounds, IntArg(args, "--b2-seconds", _quick ? 2 : 5), Log));
        }

        if (Run("B3"))
        {
            using var app = new BenchApp();
            await B3Async(app, IntArg(args, "--b3-clients", _quick ? 200 : 1000), IntArg(args, "--b3-triggers", _quick ? 10 : 30));
        }

        if (Run("B4"))
        {
            await B4Async(IntArg(args, "--b4-orders", _quick ? 300 : 10_000));
        }

        if (Run("B5"))
        {
            await Quiet();
            HomeCircuitMemory.Hold = TimeSpan.FromSeconds(IntArg(args, "--b5-hold-seconds", 0));
            Rows.Add(await HomeCircuitMemory.RunAsync(IntArg(args, "--b5-circuits", _quick ? 50 : 200), IntArg(args, "--listings", 10_000), _rounds, Log));
        }

        if (Run("B6"))
        {
            await Quiet();
            Rows.Add(await HomeRender.RunAsync(IntArg(args, "--listings", 10_000), 10, _rounds, IntArg(args, "--b6-requests", _quick ? 50 : 200), Log));
        }

        if (Run("B7"))
        {
            await Quiet();
            Rows.Add(await LiveFanOutToCircuits.RunAsync(IntArg(args, "--b7-circuits", _quick ? 100 : 1000), IntArg(args, "--b7-browsers", 8), IntArg(args, "--listings", 10_000), IntArg(args, "--b7-locks", _quick ? 3 : 5), Log));
        }

        var markdown = Report(started, args);

        // Hand-written analysis below the marker survives a re-run.
        const string marker = "<!-- notes -->";
        if (File.Exists(output) && (await File.ReadAllTextAsync(output)) is var old && old.IndexOf(marker, StringComparison.Ordinal) is var at and >= 0)
        {
            markdown += Environment.NewLine + old[at..];
        }

        await File.WriteAllTextAsync(output, markdown);
        Console.WriteLine(markdown);
        Log($"Wrote {output}");
        return 0;
    }

    // ---------------------------------------------------------------- B1

    private static async Task<double> B1Async(BenchApp app, int reservations)
    {
        Log($"B1: {reservations} reservations per round, each on its own ticket");
        var seller = await app.SignUpAsync();
        const int workers = 16;

        // A buyer may hold only a few live reservations (Ordering:MaxLiveOrdersPerBuyer, 5), as at a
        // real on-sale where many buyers take a ticket or two: each round signs up its own buyers, who
        // reserve perBuyer tickets each, never two at once, through 16 keep-alive connections.
        const int perBuyer = 4;
        var connections = Enumerable.Range(0, workers).Select(_ => app.NewCookielessClient()).ToArray();
        var appRates = new List<double>();
        var rawRates = new List<double>();
        var appCpus = new List<double>();
        var rawCpus = new List<double>();
        var failures = 0;

        // Round 0 is an untimed warm-up of both paths: the JIT is still rewriting hot methods for the
        // first few thousand requests, which a server that has been up for a while has long done.
        for (var round = 0; round <= _rounds; round++)
        {
            var tickets = await BenchApp.CreateTicketsAsync(seller, reservations);
            var buyers = await SignUpCookiesAsync(app, connections, (reservations + perBuyer - 1) / perBuyer);

            // The listings' and sign-ups' own events are delivered first: the round times reservations.
            await WaitAsync(app, "SELECT COUNT(*) FROM outbox_messages WHERE ProcessedAt IS NULL", 0, TimeSpan.FromMinutes(5));
            Log($"  round {round}: reserving");
            var next = -1;
            var cpu = ProcessCpu();
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
            var appCpu = (ProcessCpu() - cpu).TotalMilliseconds / reservations;
            var appRate = reservations / sw.Elapsed.TotalSeconds;
            cpu = ProcessCpu();
            var rawRate = RawConditionalUpdates(reservations);
            var rawCpu = (ProcessCpu() - cpu).TotalMilliseconds / reservations;
            Log($"  round {round}{(round == 0 ? " (warm-up)" : "")}: app {appRate:0} /s ({appCpu:0.00} ms CPU each), raw {rawRate:0} /s ({rawCpu:0.000} ms CPU each), load {LoadAverage()}");
            if (round > 0)
            {
                appRates.Add(appRate);
                rawRates.Add(rawRate);
                appCpus.Add(appCpu);
                rawCpus.Add(rawCpu);
            }
        }

        // Where the time goes: every reservation commits once, then the outbox dispatcher commits
        // one delivery row per (event, handler) and one claim per batch, all behind SQLite's single writer.
        double messages, deliveries;
        using (var db = app.OpenDatabase())
        {
            messages = Scalar(db, "SELECT COUNT(*) FROM outbox_messages");
            deliveries = Scalar(db, "SELECT COUNT(*) FROM outbox_deliveries");
        }

        var orderCount = (double)reservations * (_rounds + 1);
        var a = Median(appRates);
        var b = Median(rawRates);
        Rows.Add(new Row("B1 reserve throughput", "reservations/s vs commits/s", a, b, a / b, "≥ 0.3 and ≥ 2,000/s", a / b >= 0.3 && a >= 2000,
            $"{reservations} POST /api/orders per round, {workers} keep-alive connections, {perBuyer} reservations per signed-up buyer (the live-order cap is 5), distinct tickets, one untimed warm-up round first; {failures} non-201. In the app DB after B1 (incl. sign-ups and listings): {messages:N0} outbox messages and {deliveries:N0} per-handler delivery rows (those of handlers that changed nothing share their batch's one completion commit) for {orderCount:N0} reservations (≈ {deliveries / orderCount:0.0} delivery rows per reservation). Baseline: prepared conditional UPDATE, one transaction each, one connection, separate WAL file. CPU per reservation (this whole process: the app, its outbox dispatcher and the load generator) {Median(appCpus):0.00} ms, per raw commit {Median(rawCpus):0.000} ms: on a shared machine the CPU cost holds where the rates swing with the load. Load average after the figure: {LoadAverage()}."));
        return a;
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

    private static async Task<HttpClient[]> SignUpManyAsync(BenchApp app, int count)
    {
        var clients = new List<HttpClient>(count);
        for (var i = 0; i < count; i += 20)
        {
            clients.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(20, count - i)).Select(_ => app.SignUpAsync())));
        }

        return [.. clients];
    }

    /// <summary>A raw prepared conditional UPDATE per ticket, each in its own transaction, on a fresh WAL file.</summary>
    private static double RawConditionalUpdates(int count)
    {
        var path = Path.Combine(Path.GetTempPath(), "ticketing-bench", $"raw-{Guid.NewGuid():N}.db");
        try
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            Exec(connection, "PRAGMA journal_mode=WAL;");
            Exec(connection, "CREATE TABLE tickets (Id TEXT NOT NULL PRIMARY KEY, SellerId TEXT NOT NULL, Title TEXT NOT NULL, Price INTEGER NOT NULL, Status TEXT NOT NULL, OrderId TEXT NULL, ReservedUntil INTEGER NULL, UpdatedAt INTEGER NOT NULL, RowVersion BLOB NOT NULL, Version INTEGER NOT NULL);");
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
            DeleteDb(path);
        }
    }

    // ---------------------------------------------------------------- B1b

    private static async Task B1bAsync(BenchApp app, double b1Rate, int seconds)
    {
        const int clients = 100;
        const int hot = 10;
        Log($"B1b: {clients} clients on {hot} hot tickets, {seconds} s per round");
        var seller = await app.SignUpAsync();
        var buyers = await SignUpManyAsync(app, clients);

        var rates = new List<double>();
        long doubleSells = 0, others = 0, successesTotal = 0;
        for (var round = 0; round < _rounds; round++)
        {
            var tickets = await BenchApp.CreateTicketsAsync(seller, hot);
            var successes = new int[hot];
            long clean = 0;
            var stop = Stopwatch.StartNew();
            var deadline = TimeSpan.FromSeconds(seconds);
            await Task.WhenAll(buyers.Select(async (buyer, index) =>
            {
                var t = index % hot;
                while (stop.Elapsed < deadline)
                {
                    using var response = await buyer.PostAsJsonAsync("/api/orders", new { ticketId = tickets[t] });
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        Interlocked.Increment(ref successes[t]);
                    }
                    else if (response.StatusCode == HttpStatusCode.BadRequest
                        && (await response.Content.ReadAsStringAsync()).Contains("Ticket is already reserved", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref clean);
                    }
                    else
                    {
                        Interlocked.Increment(ref others);
                    }
                }
            }));
            var elapsed = stop.Elapsed.TotalSeconds;
            var ok = successes.Sum();
            successesTotal += ok;
            doubleSells += successes.Sum(s => Math.Max(0, s - 1));
            rates.Add((ok + clean) / elapsed);
            Log($"  round {round + 1}: {(ok + clean) / elapsed:0} clean outcomes/s ({ok} won, {clean} clean 400s), double-sells so far {doubleSells}, load {LoadAverage()}");
        }

        var a = Median(rates);
        Rows.Add(new Row("B1b contention (100 clients, 10 hot tickets)", "clean outcomes/s vs B1 reservations/s", a, b1Rate, a / b1Rate, "≥ 0.8, 0 double-sells", a / b1Rate >= 0.8 && doubleSells == 0,
            $"{successesTotal} wins over {_rounds} rounds × 10 tickets; double-sells: **{doubleSells}**; other responses: {others}. Load average after the figure: {LoadAverage()}."));
    }

    // ---------------------------------------------------------------- B3

    private static async Task B3Async(BenchApp app, int clients, int triggers)
    {
        Log($"B3: {clients} SignalR clients, {triggers} lock changes per round");
        var seller = await app.SignUpAsync();
        var tickets = await BenchApp.CreateTicketsAsync(seller, triggers * (_rounds + 1));

        // A buyer may hold only five live reservations: four tickets each, in turn.
        var buyers = await SignUpManyAsync(app, (tickets.Count + 3) / 4);

        var probe = new Receiver(clients);
        var appConnections = await ConnectAsync(new Uri(app.BaseAddress, "/hubs/tickets"), clients, probe);
        var ticketIndex = 0;
        Task FireApp()
        {
            var i = ticketIndex++;
            return ReserveAsync(buyers[i / 4], tickets[i]);
        }

        // One untimed round each to warm both paths up; the app's also captures the payload the bare hub sends.
        await FanOutAsync(probe, clients, triggers, FireApp);
        var bare = await BareHubHost.StartAsync(probe.LastPayload);
        var bareProbe = new Receiver(clients);
        var bareConnections = await ConnectAsync(new Uri(bare.Address, "/hubs/bare"), clients, bareProbe);
        using var trigger = new HttpClient { BaseAddress = bare.Address };
        async Task FireBare()
        {
            using var response = await trigger.PostAsync("/trigger", null);
            response.EnsureSuccessStatusCode();
        }

        await FanOutAsync(bareProbe, clients, triggers, FireBare);

        // Interleaved round by round, so that both see the same machine.
        var appRates = new List<double>();
        var appLatencies = new List<double>();
        var bareRates = new List<double>();
        var bareLatencies = new List<double>();
        for (var round = 0; round < _rounds; round++)
        {
            var (rate, lat) = await FanOutAsync(probe, clients, triggers, FireApp);
            appRates.Add(rate);
            appLatencies.AddRange(lat);
            var (bareRate, bareLat) = await FanOutAsync(bareProbe, clients, triggers, FireBare);
            bareRates.Add(bareRate);
            bareLatencies.AddRange(bareLat);
            Log($"  round {round + 1}: app {rate:0} msg/s (p99 {Percentile(lat, 0.99):0.0} ms), bare {bareRate:0} msg/s (p99 {Percentile(bareLat, 0.99):0.0} ms)");
        }

        await DisposeAllAsync(appConnections);
        await DisposeAllAsync(bareConnections);
        await bare.App.StopAsync();
        await bare.App.DisposeAsync();

        var a = Median(appRates);
        var b = Median(bareRates);
        var p50 = Percentile(appLatencies, 0.50);
        var p99 = Percentile(appLatencies, 0.99);
        var bp50 = Percentile(bareLatencies, 0.50);
        var bp99 = Percentile(bareLatencies, 0.99);
        Rows.Add(new Row($"B3 live fan-out (N={clients})", "delivered msg/s", a, b, a / b, "≥ 0.9, p99 ≤ 100 ms", a / b >= 0.9 && p99 <= 100,
            $"Latency API response → receipt: app p50 {p50:0.0} ms / p99 {p99:0.0} ms; bare p50 {bp50:0.0} ms / p99 {bp99:0.0} ms (negative = pushed before the response arrived). {triggers} sequential lock changes per round, each awaited until all {clients} clients received it; one untimed warm-up round each, then app and bare rounds interleaved. Load average after the figure: {LoadAverage()}."));
    }

    private static async Task ReserveAsync(HttpClient buyer, Guid ticketId)
    {
        using var response = await buyer.PostAsJsonAsync("/api/orders", new { ticketId });
        response.EnsureSuccessStatusCode();
    }

    private sealed class Receiver(int clients)
    {
        public readonly long[] Stamps = new long[clients];
        public int Received;
        public JsonElement LastPayload;

        public void OnMessage(JsonElement payload)
        {
            var now = Stopwatch.GetTimestamp();
            var i = Interlocked.Increment(ref Received) - 1;
            if (i < Stamps.Length)
            {
                Stamps[i] = now;
            }

            if (i == 0)
            {
                LastPayload = payload;
            }
        }
    }

    private static async Task<List<HubConnection>> ConnectAsync(Uri url, int count, Receiver receiver)
    {
        var connections = new List<HubConnection>(count);
        for (var i = 0; i < count; i += 50)
        {
            var batch = Enumerable.Range(0, Math.Min(50, count - i)).Select(async _ =>
            {
                var connection = new HubConnectionBuilder()
                    .WithUrl(url, HttpTransportType.WebSockets, o => o.SkipNegotiation = true)
                    .Build();
                connection.ServerTimeout = TimeSpan.FromMinutes(5);
                connection.On<JsonElement>("TicketLocked", receiver.OnMessage);
                await connection.StartAsync();
                return connection;
            });
            connections.AddRange(await Task.WhenAll(batch));
        }

        return connections;
    }

    private static async Task DisposeAllAsync(List<HubConnection> connections)
    {
        foreach (var chunk in connections.Chunk(100))
        {
            await Task.WhenAll(chunk.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    private static async Task<(double Rate, List<double> Latencies)> FanOutAsync(Receiver receiver, int clients, int triggers, Func<Task> fire)
    {
        var latencies = new List<double>();
        var delivered = 0L;
        var sw = Stopwatch.StartNew();
        for (var k = 0; k < triggers; k++)
        {
            Volatile.Write(ref receiver.Received, 0);
            await fire();
            var responded = Stopwatch.GetTimestamp();
            var wait = Stopwatch.StartNew();
            while (Volatile.Read(ref receiver.Received) < clients && wait.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(1);
            }

            var got = Math.Min(Volatile.Read(ref receiver.Received), clients);
            delivered += got;
            for (var j = 0; j < got; j++)
            {
                latencies.Add(Stopwatch.GetElapsedTime(responded, receiver.Stamps[j]).TotalMilliseconds * (receiver.Stamps[j] >= responded ? 1 : -1));
            }
        }

        return (delivered / sw.Elapsed.TotalSeconds, latencies);
    }

    private sealed class BareHub : Hub;

    private sealed record BareHubHost(WebApplication App, Uri Address)
    {
        public static async Task<BareHubHost> StartAsync(JsonElement payload)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Services.AddSignalR();
            var app = builder.Build();
            app.UseWebSockets();
            app.MapHub<BareHub>("/hubs/bare");
            app.MapPost("/trigger", async (IHubContext<BareHub> hub) =>
            {
                await hub.Clients.All.SendAsync("TicketLocked", payload);
                return Results.Ok();
            });
            await app.StartAsync();
            return new BareHubHost(app, new Uri(app.Urls.First()));
        }
    }

    // ---------------------------------------------------------------- B4

    private static async Task B4Async(int orders)
    {
        var rounds = Math.Min(_rounds, 3);
        Log($"B4: {orders} overdue orders per round, {rounds} rounds");
        var appTimes = new List<double>();
        var drainTimes = new List<double>();
        var startTimes = new List<double>();
        var rawTimes = new List<double>();
        var cpuTimes = new List<double>();
        var startCpuTimes = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            using var app = new BenchApp();
            var seeding = Stopwatch.StartNew();
            await SeedOverdueOrdersAsync(app.DatabasePath, orders);
            Log($"  seeded {orders} overdue reservations in {seeding.ElapsedMilliseconds} ms");

            // As after a restart: the start-up recovery schedules every live order, all already due.
            var cpu = ProcessCpu();
            var sw = Stopwatch.StartNew();
            _ = app.BaseAddress;
            startTimes.Add(sw.Elapsed.TotalMilliseconds);
            startCpuTimes.Add((ProcessCpu() - cpu).TotalMilliseconds);
            await WaitAsync(app, "SELECT (SELECT COUNT(*) FROM orders WHERE Status <> 'Cancelled') + (SELECT COUNT(*) FROM tickets WHERE Status <> 'Available')", 0, TimeSpan.FromMinutes(30));
            appTimes.Add(sw.Elapsed.TotalMilliseconds);
            cpuTimes.Add((ProcessCpu() - cpu).TotalMilliseconds);
            await WaitAsync(app, "SELECT COUNT(*) FROM outbox_messages WHERE ProcessedAt IS NULL", 0, TimeSpan.FromMinutes(30));
            drainTimes.Add(sw.Elapsed.TotalMilliseconds);
            rawTimes.Add(RawExpiry(orders));
            Log($"  round {round + 1}: app {appTimes[^1]:0} ms ({cpuTimes[^1]:0} ms CPU, {startCpuTimes[^1]:0} of them until the host had started; host started {startTimes[^1]:0} ms, events drained {drainTimes[^1]:0} ms), raw {rawTimes[^1]:0.0} ms, load {LoadAverage()}");
        }

        var a = Median(appTimes);
        var b = Median(rawTimes);
        Rows.Add(new Row($"B4 expiry sweep ({orders:N0} orders)", "wall ms (lower is better)", a, b, b / a, "≤ 1,000 ms", a <= 1000,
            $"Real path after a restart: {orders:N0} reservations whose window closed while the app was down are seeded (ticket locked by its order, earlier events processed), then the app starts and its recovery schedules them all at once; timed from host start (median {Median(startTimes):0} ms of it) until every order is Cancelled and every ticket Available; all outbox events processed at median {Median(drainTimes):0} ms. Baseline: one transaction with one UPDATE of orders and one of tickets on a separate WAL file. Ratio = baseline / app. {rounds} rounds. CPU used by the process from host start until all expired (start-up included): median {Median(cpuTimes):0} ms, of which {Median(startCpuTimes):0} ms until the host had started (the expiry runs alongside the rest of the start-up). Load average after the figure: {LoadAverage()}."));
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

    private static async Task WaitAsync(BenchApp app, string sql, long expected, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            using (var connection = app.OpenDatabase())
            {
                using var command = connection.CreateCommand();
                command.CommandText = sql;
                if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == expected)
                {
                    return;
                }
            }

            if (sw.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out waiting for: {sql}");
            }

            await Task.Delay(20);
        }
    }

    private static double RawExpiry(int count)
    {
        var path = Path.Combine(Path.GetTempPath(), "ticketing-bench", $"raw-expiry-{Guid.NewGuid():N}.db");
        try
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            Exec(connection, "PRAGMA journal_mode=WAL;");
            Exec(connection, "CREATE TABLE orders (Id TEXT NOT NULL PRIMARY KEY, TicketId TEXT NOT NULL, Status TEXT NOT NULL, ExpiresAt INTEGER NOT NULL, CancellationReason TEXT NULL, UpdatedAt INTEGER NOT NULL, RowVersion BLOB NOT NULL, Version INTEGER NOT NULL);");
            Exec(connection, "CREATE INDEX IX_orders_Status_ExpiresAt ON orders (Status, ExpiresAt);");
            Exec(connection, "CREATE TABLE tickets (Id TEXT NOT NULL PRIMARY KEY, Status TEXT NOT NULL, OrderId TEXT NULL, ReservedUntil INTEGER NULL, UpdatedAt INTEGER NOT NULL, RowVersion BLOB NOT NULL, Version INTEGER NOT NULL);");
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
            DeleteDb(path);
        }
    }

    // ---------------------------------------------------------------- report

    private static string Report(DateTime started, string[] args)
    {
        var memory = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal)) ?? "?";
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";
        var machine = $"{Environment.ProcessorCount} CPUs, {memory.Replace("MemTotal:", "", StringComparison.Ordinal).Trim()}";
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine("# Benchmarks");
        sb.AppendLine();
        sb.AppendLine("Generated by `dotnet run -c Release --project bench/Ticketing.Bench -- [--quick] [--rounds N] [--only B1,B1b,B2,B3,B4,B5,B6,B7] [--b3-clients N] [--b4-orders N] [--listings N] [--b5-circuits N] [--b7-circuits N] [--b7-browsers N] [--quiet-load L] [--quiet-minutes M]`. Each figure is measured side by side with its baseline in the same run; values are medians of the rounds. Ratio = app / baseline (B4: baseline time / app time).");
        sb.AppendLine();
        sb.AppendLine(inv, $"| Figure | Unit | App | Baseline | Ratio | Target | Met | Machine | Date |");
        sb.AppendLine("|---|---|---:|---:|---:|---|---|---|---|");
        foreach (var r in Rows)
        {
            var met = r.Met switch { true => "yes", false => "**no**", null => "-" };
            sb.AppendLine(inv, $"| {r.Figure} | {r.Unit} | {Fmt(r.App)} | {Fmt(r.Baseline)} | {(double.IsNaN(r.Ratio) ? "-" : r.Ratio.ToString(r.Ratio < 0.01 ? "0.0e0" : "0.000", inv))} | {r.Target} | {met} | {machine} | {started:yyyy-MM-dd HH:mm} UTC |");
        }

        sb.AppendLine();
        sb.AppendLine(inv, $"Run: `dotnet run -c Release --project bench/Ticketing.Bench -- {string.Join(' ', args)}` — {(_quick ? "quick mode" : "full mode")}, median of {_rounds} rounds (B4: {Math.Min(_rounds, 3)}), .NET {Environment.Version}, load average at the end: {load}.");
        sb.AppendLine();
        foreach (var r in Rows)
        {
            sb.AppendLine(inv, $"- **{r.Figure}** — {r.Notes}");
        }

        return sb.ToString();
    }

    private static string Fmt(double v) => double.IsNaN(v) ? "-" : v.ToString(v >= 100 ? "N0" : "0.0", CultureInfo.InvariantCulture);

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var s = values.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[(s.Count / 2) - 1] + s[s.Count / 2]) / 2;
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var s = values.Order().ToList();
        return s[Math.Min(s.Count - 1, (int)Math.Ceiling(p * s.Count) - 1)];
    }

    private static double Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToDouble(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void DeleteDb(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Best effort.
            }
        }
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string? StrArg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string FindDocsPath()
    {
        var dir = new DirectoryInfo(Directory.GetCurrentDirectory());
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ticketing.sln")))
        {
            dir = dir.Parent;
        }

        var root = dir?.FullName ?? Directory.GetCurrentDirectory();
        Directory.CreateDirectory(Path.Combine(root, "docs"));
        return Path.Combine(root, "docs", "benchmarks.md");
    }

    /// <summary>CPU time used by this process so far (all threads: app, dispatcher, load generator).</summary>
    private static TimeSpan ProcessCpu() => Process.GetCurrentProcess().TotalProcessorTime;

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}
