using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Bench.CounterBaseline;

namespace Ticketing.Bench.Figures;

/// <summary>
/// B5: server memory per open home-page circuit with a large market behind it, against the Blazor
/// template's Counter page. Real circuits from headless Chromium (<see cref="HeadlessPages"/>).
/// </summary>
internal static class HomeCircuitMemory
{
    private const int Openers = HeadlessPages.MaxOpeners;

    /// <summary>
    /// For profiling: how long to keep the pages open after the measurement, having printed what each
    /// circuit holds (<see cref="CircuitCensus"/>), so that a heap snapshot can be taken of the bench
    /// process (<c>dotnet dotnet-gcdump collect -p PID</c>). Zero in a normal run.
    /// </summary>
    public static TimeSpan Hold { get; set; }
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<Row> RunAsync(int circuits, int listings, int rounds, Action<string> log)
    {
        // Chromium takes most of the time: at K=200, two rounds of each kind already take minutes on 2 cores.
        rounds = Math.Min(rounds, circuits > 100 ? 2 : 3);
        var loadBefore = Stats.LoadAverage();
        log($"B5: {circuits} open circuits per round, home page ({listings:N0} listings) vs template Counter, {rounds} rounds");
        var app = new List<Sample>();
        var baseline = new List<Sample>();
        var total = Stopwatch.StartNew();

        // Every round of one kind before the other, each server torn down before the next starts: the
        // shared array pool releases buffers a while after their last use, so those the app's render
        // batches left behind would be released during a following Counter round and shrink its delta.
        for (var round = 0; round < rounds; round++)
        {
            baseline.Add(await MeasureBaselineAsync(circuits));
            log($"  counter round {round + 1}: {baseline[^1].HeapKb:0} KB/circuit (working set {baseline[^1].WorkingSetKb:0} KB), opening took {baseline[^1].Open.TotalSeconds:0} s");
        }

        for (var round = 0; round < rounds; round++)
        {
            app.Add(await MeasureAppAsync(circuits, listings));
            log($"  app round {round + 1}: {app[^1].HeapKb:0} KB/circuit (working set {app[^1].WorkingSetKb:0} KB), opening took {app[^1].Open.TotalSeconds:0} s");
        }

        var a = Stats.Median(app.Select(s => s.HeapKb));
        var b = Stats.Median(baseline.Select(s => s.HeapKb));
        var ratio = a / b;
        return new Row($"B5 memory per home circuit ({listings:N0} listings, K={circuits})", "KB/circuit, managed heap (lower is better)", a, b, ratio, "≤ 2×", ratio <= 2,
            string.Create(Inv, $"{circuits} home-page circuits (`/`, {listings:N0} listings, 24 cards shown, signed out) against {circuits} circuits of the Blazor Web App template's Counter page (`/counter` with `@rendermode InteractiveServer`, served by the bench on its own Kestrel port). ")
            + string.Create(Inv, $"Headless Chromium opens each page as a popup of one of {Openers} opener pages, so that they share a few renderer processes, and keeps it open once its interactive render shows (home: the layout's `data-interactive=true` and the cards; Counter: a click moves the count); the server's active-circuit gauge confirms all are up. ")
            + "Managed heap after full collections (`GC.GetTotalMemory(true)`) with all pages open, minus the same before opening, ÷ K; the browser is driven from a child process so that Playwright's objects stay out of that heap. "
            + string.Create(Inv, $"Process working set delta ÷ K, for information: app {Stats.Median(app.Select(s => s.WorkingSetKb)):0} KB, baseline {Stats.Median(baseline.Select(s => s.WorkingSetKb)):0} KB. ")
            + string.Create(Inv, $"Median of {rounds} rounds each (app rounds {string.Join(", ", app.Select(s => s.HeapKb.ToString("0", Inv)))} KB; Counter {string.Join(", ", baseline.Select(s => s.HeapKb.ToString("0", Inv)))} KB), the Counter rounds first, each round on a fresh server; opening took {Stats.Median(app.Select(s => s.Open.TotalSeconds)):0} s (app) and {Stats.Median(baseline.Select(s => s.Open.TotalSeconds)):0} s (baseline) a round, the whole figure {total.Elapsed.TotalMinutes:0.0} min. ")
            + $"Load average before / after: {loadBefore} / {Stats.LoadAverage()}.");
    }

    private static async Task<Sample> MeasureBaselineAsync(int circuits)
    {
        var server = await CounterBaselineHost.StartAsync();
        try
        {
            return await MeasureAsync(new Uri(new Uri(server.Urls.First()), "/counter"), "counter", server.Services, circuits);
        }
        finally
        {
            await server.StopAsync();
            await server.DisposeAsync();
        }
    }

    private static async Task<Sample> MeasureAppAsync(int circuits, int listings)
    {
        using var app = new BenchApp();
        await app.ListTicketsAsync(listings);
        return await MeasureAsync(new Uri(app.BaseAddress, "/"), "home", app.Services, circuits);
    }

    private static async Task<Sample> MeasureAsync(Uri page, string readiness, IServiceProvider services, int circuits)
    {
        using var gauge = new ActiveCircuits(services.GetRequiredService<IMeterFactory>());
        using var browser = await HeadlessPages.StartAsync(page, readiness, Openers);
        await gauge.WaitForAsync(Openers);
        var before = await SnapshotAsync();

        var open = Stopwatch.StartNew();
        await browser.OpenAsync(circuits);
        open.Stop();
        await gauge.WaitForAsync(Openers + circuits);
        var after = await SnapshotAsync();
        if (Hold > TimeSpan.Zero)
        {
            Console.Error.WriteLine(CircuitCensus.Take(services));
            Console.Error.WriteLine($"    {circuits} {readiness} pages open in process {Environment.ProcessId}; holding them {Hold.TotalSeconds:0} s for a heap snapshot");
            await Task.Delay(Hold);
        }

        await browser.CloseAsync();
        return new Sample((after.Heap - before.Heap) / 1024.0 / circuits, (after.WorkingSet - before.WorkingSet) / 1024.0 / circuits, open.Elapsed);
    }

    private static async Task<(long Heap, long WorkingSet)> SnapshotAsync()
    {
        // The last pages' after-render work (JS imports, theme and time-zone probes) finishes a moment after they show as interactive.
        await Task.Delay(TimeSpan.FromSeconds(3));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return (heap, process.WorkingSet64);
    }

    private sealed record Sample(double HeapKb, double WorkingSetKb, TimeSpan Open);
}
