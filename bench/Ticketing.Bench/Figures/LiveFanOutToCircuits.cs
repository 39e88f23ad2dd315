using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Bench.CounterBaseline;

namespace Ticketing.Bench.Figures;

/// <summary>
/// B7: many open home pages, one listing on them locked: how long from the reservation's API answer
/// until each browser's DOM shows the card reserved. Real circuits: Blazor's own client in headless
/// Chromium (<see cref="HeadlessPages"/>). Baseline: as many circuits of the Blazor template's
/// smallest live page, changed by an in-memory event.
/// </summary>
internal static class LiveFanOutToCircuits
{
    private const double TargetP99Ms = 250;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<Row> RunAsync(int circuits, int listings, int locks, int openers, Action<string> log)
    {
        openers = Math.Min(openers, circuits);
        log($"B7: {circuits} open home pages ({listings:N0} listings), {locks} locks, then as many template pages; {openers} renderer processes");
        var total = Stopwatch.StartNew();
        var app = await MeasureAppAsync(circuits, listings, locks, openers, log);
        var baseline = await MeasureBaselineAsync(circuits, locks, openers, log);

        var a = Stats.Median(app.Rounds.Select(r => r.P99));
        var b = Stats.Median(baseline.Rounds.Select(r => r.P99));
        var missing = app.Rounds.Sum(r => r.Missing);
        var pooled = app.Rounds.SelectMany(r => r.Latencies).ToList();
        var basePooled = baseline.Rounds.SelectMany(r => r.Latencies).ToList();
        return new Row($"B7 live fan-out to home circuits (N={circuits:N0})", "p99 ms, API answer → DOM change (lower is better)", a, b, a / b,
            "every page shows it, p99 ≤ 250 ms", missing == 0 && a <= TargetP99Ms,
            string.Create(Inv, $"{circuits:N0} home pages (`/`, {listings:N0} listings, newest first, signed out) open at once in one headless Chromium (Blazor's own client: {openers} opener pages, the rest their same-site popups, so {openers} renderer processes); the server's active-circuit gauge confirms every circuit. ")
            + string.Create(Inv, $"Each round a buyer reserves (`POST /api/orders`) another listing shown on every page; each page's MutationObserver records `Date.now()` when that card's `data-status` turns `reserved`, and latency = that minus the wall-clock time the API answer arrived (same machine clock). {locks} rounds after one untimed warm-up, median of the rounds' p99 (rounds: {string.Join(", ", app.Rounds.Select(r => r.P99.ToString("0", Inv)))} ms). ")
            + string.Create(Inv, $"Over all rounds: p50 {Stats.Median(pooled):0} ms, p99 {Stats.Percentile(pooled, 0.99):0} ms, max {pooled.DefaultIfEmpty(double.NaN).Max():0} ms; pages that never showed the change: **{missing}** of {app.Rounds.Sum(r => r.Pages):N0}. ")
            + string.Create(Inv, $"Baseline: the same number of pages of a bare Blazor template page (`/live`, one element whose `data-status` follows an in-memory event, fanned out on the thread pool after `POST /trigger` answers), rounds {string.Join(", ", baseline.Rounds.Select(r => r.P99.ToString("0", Inv)))} ms, pooled p50 {Stats.Median(basePooled):0} ms / p99 {Stats.Percentile(basePooled, 0.99):0} ms, {baseline.Rounds.Sum(r => r.Missing)} missing. ")
            + string.Create(Inv, $"Opening took {app.Open.TotalSeconds:0} s (app) and {baseline.Open.TotalSeconds:0} s (baseline), the whole figure {total.Elapsed.TotalMinutes:0.0} min. Load average during the app rounds: {string.Join("; ", app.Rounds.Select(r => r.Load))}; baseline rounds: {string.Join("; ", baseline.Rounds.Select(r => r.Load))}."));
    }

    private static async Task<Phase> MeasureAppAsync(int circuits, int listings, int locks, int openers, Action<string> log)
    {
        using var app = new BenchApp(new Dictionary<string, string?>
        {
            // One buyer takes every lock of the figure.
            ["Ordering:MaxLiveOrdersPerBuyer"] = "1000",
            ["RateLimiting:OrdersPermitLimit"] = "1000000",
        });
        var tickets = await app.ListTicketsAsync(listings);
        using var buyer = await app.SignUpAsync();
        var ticketIndex = 0;
        return await MeasureAsync(new Uri(app.BaseAddress, "/"), "home", app.Services, circuits, locks, openers, "app", log, async () =>
        {
            // The newest listings are on every page (newest first, 24 a page).
            var ticket = tickets[ticketIndex++];
            return (ticket.Id.ToString(), async () =>
            {
                using var response = await buyer.PostAsJsonAsync("/api/orders", new { ticketId = ticket.Id });
                response.EnsureSuccessStatusCode();
            });
        });
    }

    private static async Task<Phase> MeasureBaselineAsync(int circuits, int locks, int openers, Action<string> log)
    {
        var server = await CounterBaselineHost.StartAsync();
        try
        {
            var address = new Uri(server.Urls.First());
            using var trigger = new HttpClient { BaseAddress = address };
            return await MeasureAsync(new Uri(address, "/live"), "flag", server.Services, circuits, locks, openers, "baseline", log, () =>
            {
                var id = Guid.NewGuid().ToString();
                return Task.FromResult<(string, Func<Task>)>((id, async () =>
                {
                    using var response = await trigger.PostAsync($"/trigger/{id}/reserved", null);
                    response.EnsureSuccessStatusCode();
                }));
            });
        }
        finally
        {
            await server.StopAsync();
            await server.DisposeAsync();
        }
    }

    /// <param name="nextLock">Names the ticket the next round locks and how to lock it.</param>
    private static async Task<Phase> MeasureAsync(
        Uri page, string readiness, IServiceProvider services, int circuits, int locks, int openers, string name, Action<string> log,
        Func<Task<(string TicketId, Func<Task> Lock)>> nextLock)
    {
        using var gauge = new ActiveCircuits(services.GetRequiredService<IMeterFactory>());
        using var browser = await HeadlessPages.StartAsync(page, readiness, openers);
        var open = Stopwatch.StartNew();
        await browser.OpenAsync(circuits - openers);
        open.Stop();
        await gauge.WaitForAsync(circuits);
        log($"  {name}: {circuits} circuits open after {open.Elapsed.TotalSeconds:0} s");

        var rounds = new List<Round>();
        for (var round = 0; round <= locks; round++)
        {
            // Let the pages and the server go quiet between rounds.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var (ticketId, lockIt) = await nextLock();
            await browser.ArmAsync(ticketId, "reserved");
            var load = Stats.LoadAverage();
            await lockIt();
            var answered = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
            var (seen, pages) = await browser.CollectAsync(Patience);
            var latencies = seen.Select(s => s - answered).ToList();
            var result = new Round(latencies, pages - seen.Count, pages, Stats.Percentile(latencies, 0.99), load);
            log($"  {name} round {round}{(round == 0 ? " (warm-up)" : "")}: p50 {Stats.Median(latencies):0} ms, p99 {result.P99:0} ms, max {latencies.DefaultIfEmpty(double.NaN).Max():0} ms, missing {result.Missing}/{pages}, load {load}");
            if (round > 0)
            {
                rounds.Add(result);
            }
        }

        await browser.CloseAsync();
        return new Phase(rounds, open.Elapsed);
    }

    private sealed record Round(List<double> Latencies, int Missing, int Pages, double P99, string Load);

    private sealed record Phase(List<Round> Rounds, TimeSpan Open);
}
