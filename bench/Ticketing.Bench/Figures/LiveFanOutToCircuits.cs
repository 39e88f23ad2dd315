using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Bench.CounterBaseline;

namespace Ticketing.Bench.Figures;

/// <summary>
/// B7: many open home pages, one listing on all of them locked: how long from the reservation's API
/// answer until each page has the card reserved. Real circuits, two kinds: most speak the circuit
/// protocol (<see cref="CircuitClient"/>, timed when the render batch carrying the reserved card
/// arrives), and some are Blazor's own client in headless Chromium (<see cref="HeadlessPages"/>, timed
/// when the DOM changes). Baseline: as many circuits of the Blazor template's smallest live page,
/// changed by an in-memory event.
/// </summary>
internal static class LiveFanOutToCircuits
{
    private const double TargetP99Ms = 250;
    private const int OpenAtOnce = 16;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<Row> RunAsync(int circuits, int browsers, int listings, int locks, Action<string> log)
    {
        browsers = Math.Clamp(browsers, 0, circuits);
        var loadBefore = Stats.LoadAverage();
        log($"B7: {circuits} open home pages ({listings:N0} listings; {browsers} of them in Chromium), {locks} locks, then as many template pages");
        var total = Stopwatch.StartNew();
        var app = await MeasureAppAsync(circuits, browsers, listings, locks, log);
        var baseline = await MeasureBaselineAsync(circuits, browsers, locks, log);

        var a = Stats.Median(app.Rounds.Select(r => r.P99));
        var b = Stats.Median(baseline.Rounds.Select(r => r.P99));
        var missing = app.Rounds.Sum(r => r.Missing);
        var all = app.Rounds.SelectMany(r => r.Protocol.Concat(r.Browser)).ToList();
        var inBrowsers = app.Rounds.SelectMany(r => r.Browser).ToList();
        var baseAll = baseline.Rounds.SelectMany(r => r.Protocol.Concat(r.Browser)).ToList();
        return new Row($"B7 live fan-out to home circuits (N={circuits:N0})", "p99 ms, API answer → page has it (lower is better)", a, b, a / b,
            "every page shows it, p99 ≤ 250 ms", missing == 0 && a <= TargetP99Ms,
            string.Create(Inv, $"{circuits:N0} home-page circuits (`/`, {listings:N0} listings, newest first, signed out) open at once: {circuits - browsers:N0} speak the circuit protocol (a .NET client starts each from the prerendered page's component markers and persisted state, acknowledges every render batch and refuses JS calls; timed when the render batch carrying the reserved card's markup arrives) and {browsers} are Blazor's own client in headless Chromium (popups of {Math.Min(browsers, HeadlessPages.MaxOpeners)} opener pages; timed by a MutationObserver's `Date.now()` when the card's `data-status` turns `reserved`); the server's active-circuit gauge confirms every circuit. ")
            + string.Create(Inv, $"Each round a buyer reserves (`POST /api/orders`) another listing shown on every page; latency = receipt minus the wall-clock time the API answer arrived (one machine clock). {locks} rounds after one untimed warm-up, median of the rounds' p99 over all circuits (rounds: {string.Join(", ", app.Rounds.Select(r => r.P99.ToString("0", Inv)))} ms). ")
            + string.Create(Inv, $"Over all rounds: p50 {Stats.Median(all):0} ms, p99 {Stats.Percentile(all, 0.99):0} ms, max {all.DefaultIfEmpty(double.NaN).Max():0} ms; the Chromium pages' DOM: p50 {Stats.Median(inBrowsers):0} ms, p99 {Stats.Percentile(inBrowsers, 0.99):0} ms; circuits that never had the change: **{missing}** of {app.Rounds.Sum(r => r.Circuits):N0}. ")
            + string.Create(Inv, $"Baseline: the same mix of circuits on a bare Blazor template page (`/live`, one element whose attributes follow an in-memory event, fanned out on the thread pool after `POST /trigger` answers): rounds {string.Join(", ", baseline.Rounds.Select(r => r.P99.ToString("0", Inv)))} ms, pooled p50 {Stats.Median(baseAll):0} ms / p99 {Stats.Percentile(baseAll, 0.99):0} ms, {baseline.Rounds.Sum(r => r.Missing)} missing. ")
            + string.Create(Inv, $"The protocol clients run in the bench process beside the server, the browser in a child process: all on the same 2 cores. Opening took {app.Open.TotalSeconds:0} s (app) and {baseline.Open.TotalSeconds:0} s (baseline), the whole figure {total.Elapsed.TotalMinutes:0.0} min. ")
            + $"Load average before: {loadBefore}; at each app round: {string.Join("; ", app.Rounds.Select(r => r.Load))}; at each baseline round: {string.Join("; ", baseline.Rounds.Select(r => r.Load))}.");
    }

    private static async Task<Phase> MeasureAppAsync(int circuits, int browsers, int listings, int locks, Action<string> log)
    {
        using var app = new BenchApp(new Dictionary<string, string?>
        {
            // One buyer takes every lock of the figure.
            ["Ordering:MaxLiveOrdersPerBuyer"] = "1000",
            ["RateLimiting:OrdersPermitLimit"] = "1000000",
        });
        var tickets = await app.ListTicketsAsync(listings);
        using var buyer = await app.SignUpAsync();
        var next = 0;
        return await MeasureAsync(new Uri(app.BaseAddress, "/"), "home", app.Services, circuits, browsers, locks, "app", log, () =>
        {
            // The newest listings are on every page (newest first, 24 a page).
            var ticket = tickets[next++];
            return new Lock(ticket.Id.ToString(), [$"data-ticket-id=\"{ticket.Id}\" data-status=\"reserved\""], async () =>
            {
                using var response = await buyer.PostAsJsonAsync("/api/orders", new { ticketId = ticket.Id });
                response.EnsureSuccessStatusCode();
            });
        });
    }

    private static async Task<Phase> MeasureBaselineAsync(int circuits, int browsers, int locks, Action<string> log)
    {
        var server = await CounterBaselineHost.StartAsync();
        try
        {
            var address = new Uri(server.Urls.First());
            using var trigger = new HttpClient { BaseAddress = address };
            return await MeasureAsync(new Uri(address, "/live"), "flag", server.Services, circuits, browsers, locks, "baseline", log, () =>
            {
                // A new id each round: the batch that carries it is the change (its status stays "reserved").
                var id = Guid.NewGuid().ToString();
                return new Lock(id, [id], async () =>
                {
                    using var response = await trigger.PostAsync($"/trigger/{id}/reserved", null);
                    response.EnsureSuccessStatusCode();
                });
            });
        }
        finally
        {
            await server.StopAsync();
            await server.DisposeAsync();
        }
    }

    /// <param name="nextLock">The next round's ticket, the text its change brings in a render batch, and how to lock it.</param>
    private static async Task<Phase> MeasureAsync(
        Uri page, string readiness, IServiceProvider services, int circuits, int browsers, int locks, string name, Action<string> log, Func<Lock> nextLock)
    {
        using var gauge = new ActiveCircuits(services.GetRequiredService<IMeterFactory>());
        var open = Stopwatch.StartNew();
        var clients = await OpenClientsAsync(page, circuits - browsers, log, name);
        var openers = Math.Min(browsers, HeadlessPages.MaxOpeners);
        using var pages = browsers > 0 ? await HeadlessPages.StartAsync(page, readiness, openers) : null;
        if (pages is not null)
        {
            await pages.OpenAsync(browsers - openers);
        }

        open.Stop();
        await gauge.WaitForAsync(circuits);
        log($"  {name}: {circuits} circuits open after {open.Elapsed.TotalSeconds:0} s");

        var rounds = new List<Round>();
        try
        {
            for (var round = 0; round <= locks; round++)
            {
                // Let the pages and the server go quiet between rounds.
                await Task.Delay(TimeSpan.FromSeconds(3));
                var change = nextLock();
                foreach (var client in clients)
                {
                    client.Watch(change.Texts);
                }

                if (pages is not null)
                {
                    await pages.ArmAsync(change.TicketId, "reserved");
                }

                var load = Stats.LoadAverage();
                await change.LockAsync();
                var answered = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
                var wait = Stopwatch.StartNew();
                while (clients.Any(c => c.SeenAt < 0) && wait.Elapsed < Patience)
                {
                    await Task.Delay(5);
                }

                var protocol = clients.Select(c => c.SeenAt).Where(t => t > 0).Select(t => t - answered).ToList();
                (List<double> Seen, int Pages) browserSide = pages is null ? ([], 0) : await pages.CollectAsync(Patience);
                var (seen, pageCount) = browserSide;
                var inBrowser = seen.Select(t => t - answered).ToList();
                var result = new Round(protocol, inBrowser, circuits - protocol.Count - inBrowser.Count, clients.Count + pageCount, Stats.Percentile(protocol.Concat(inBrowser), 0.99), load);
                log($"  {name} round {round}{(round == 0 ? " (warm-up)" : string.Empty)}: p50 {Stats.Median(protocol.Concat(inBrowser)):0} ms, p99 {result.P99:0} ms, max {protocol.Concat(inBrowser).DefaultIfEmpty(double.NaN).Max():0} ms (Chromium p99 {Stats.Percentile(inBrowser, 0.99):0} ms), missing {result.Missing}/{result.Circuits}, load {load}");
                if (round > 0)
                {
                    rounds.Add(result);
                }
            }

            if (pages is not null)
            {
                await pages.CloseAsync();
            }
        }
        finally
        {
            foreach (var chunk in clients.Chunk(100))
            {
                await Task.WhenAll(chunk.Select(c => c.DisposeAsync().AsTask()));
            }
        }

        return new Phase(rounds, open.Elapsed);
    }

    private static async Task<List<CircuitClient>> OpenClientsAsync(Uri page, int count, Action<string> log, string name)
    {
        using var http = new HttpClient();
        var clients = new List<CircuitClient>(count);
        try
        {
            for (var i = 0; i < count; i += OpenAtOnce)
            {
                clients.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(OpenAtOnce, count - i))
                    .Select(_ => CircuitClient.OpenAsync(http, page, "data-ticket-id"))));
                if (clients.Count % 200 < OpenAtOnce)
                {
                    log($"    {name}: {clients.Count}/{count} protocol circuits open");
                }
            }

            return clients;
        }
        catch
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
            throw;
        }
    }

    private sealed record Lock(string TicketId, string[] Texts, Func<Task> LockAsync);

    private sealed record Round(List<double> Protocol, List<double> Browser, int Missing, int Circuits, double P99, string Load);

    private sealed record Phase(List<Round> Rounds, TimeSpan Open);
}
