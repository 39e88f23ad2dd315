using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Ticketing.Bench.CounterBaseline;

namespace Ticketing.Bench;

/// <summary>
/// B5: server memory per open Blazor circuit, the home page against the template's Counter page.
/// Real circuits come from headless Chromium, driven by a child process of this bench (see
/// <see cref="DriveBrowserAsync"/>) so that Playwright's per-page client objects stay out of the
/// managed heap being measured.
/// </summary>
internal static class CircuitMemoryBench
{
    public const string BrowserDriverArg = "--b5-browser";

    private const string ChromiumPath = "/usr/bin/chromium";
    private const int Listings = 50;
    private const int WarmCircuits = 4;
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(90);
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<Row> RunAsync(int circuits, int rounds, Action<string> log)
    {
        // Chromium takes most of the time, about half a CPU-second per page opened: at K=200, two rounds
        // of each kind already take minutes on 2 cores.
        rounds = Math.Min(rounds, circuits > 100 ? 2 : 3);
        log($"B5: {circuits} open circuits per round, home page vs template Counter, {rounds} rounds");
        var app = new List<Sample>();
        var baseline = new List<Sample>();
        var total = Stopwatch.StartNew();

        // Every round of one kind before the other, each server torn down before the next starts: the
        // shared array pool releases buffers a while after their last use, so those the app's large
        // render batches left behind would be released during a following Counter round and shrink its delta.
        for (var round = 0; round < rounds; round++)
        {
            baseline.Add(await MeasureBaselineAsync(circuits));
            log($"  counter round {round + 1}: {baseline[^1].HeapKb:0} KB/circuit (working set {baseline[^1].WorkingSetKb:0} KB), opening took {baseline[^1].Open.TotalSeconds:0} s");
        }

        for (var round = 0; round < rounds; round++)
        {
            app.Add(await MeasureAppAsync(circuits));
            log($"  app round {round + 1}: {app[^1].HeapKb:0} KB/circuit (working set {app[^1].WorkingSetKb:0} KB), opening took {app[^1].Open.TotalSeconds:0} s");
        }

        var a = Median(app.Select(s => s.HeapKb));
        var b = Median(baseline.Select(s => s.HeapKb));
        var ratio = a / b;
        return new Row($"B5 memory per circuit (K={circuits})", "KB/circuit, managed heap (lower is better)", a, b, ratio, "≤ 2×", ratio <= 2,
            string.Create(Inv, $"{circuits} home-page circuits (`/`, {Listings} listings, signed out) against {circuits} circuits of the Blazor Web App template's Counter page (`/counter` with `@rendermode InteractiveServer`, served by the bench on its own Kestrel port). ")
            + string.Create(Inv, $"Headless Chromium opens each page as a popup of one of {WarmCircuits} warm-up pages, so that they share a few renderer processes, and keeps it open once its interactive render shows (home: the layout's `data-interactive=true`; Counter: a click moves the count); the server's active-circuit gauge confirms all are up. ")
            + "Managed heap after full collections (`GC.GetTotalMemory(true)`) with all pages open, minus the same before opening, ÷ K; the browser is driven from a child process so that Playwright's objects stay out of that heap. "
            + string.Create(Inv, $"Process working set delta ÷ K, for information: app {Median(app.Select(s => s.WorkingSetKb)):0} KB, baseline {Median(baseline.Select(s => s.WorkingSetKb)):0} KB. ")
            + string.Create(Inv, $"Median of {rounds} rounds each, the Counter rounds first, each round on a fresh server; opening took {Median(app.Select(s => s.Open.TotalSeconds)):0} s (app) and {Median(baseline.Select(s => s.Open.TotalSeconds)):0} s (baseline) a round, the whole figure {total.Elapsed.TotalMinutes:0.0} min. ")
            + "The template renders only the Counter component interactively; the app renders the router, the MudBlazor layout and the page with one card per listing interactively, and every live component keeps its render tree in the circuit.");
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

    private static async Task<Sample> MeasureAppAsync(int circuits)
    {
        using var app = new BenchApp();
        using (var seller = await app.SignUpAsync())
        {
            await BenchApp.CreateTicketsAsync(seller, Listings);
        }

        return await MeasureAsync(new Uri(app.BaseAddress, "/"), "home", app.Services, circuits);
    }

    private static async Task<Sample> MeasureAsync(Uri page, string readiness, IServiceProvider services, int circuits)
    {
        using var gauge = new ActiveCircuits(services.GetRequiredService<IMeterFactory>());
        using var browser = BrowserDriver.Start(page, readiness, circuits);
        await browser.ExpectAsync("warm");
        await gauge.WaitForAsync(WarmCircuits);
        var before = await SnapshotAsync();

        var open = Stopwatch.StartNew();
        await browser.SendAsync("open");
        await browser.ExpectAsync("ready");
        open.Stop();
        await gauge.WaitForAsync(WarmCircuits + circuits);
        var after = await SnapshotAsync();

        await browser.SendAsync("close");
        await browser.ExpectAsync("closed");
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

    private static double Median(IEnumerable<double> values)
    {
        var s = values.Order().ToList();
        return s.Count == 0 ? double.NaN : s.Count % 2 == 1 ? s[s.Count / 2] : (s[(s.Count / 2) - 1] + s[s.Count / 2]) / 2;
    }

    private sealed record Sample(double HeapKb, double WorkingSetKb, TimeSpan Open);

    /// <summary>The server's own count of open circuits (ASP.NET Core's circuit metrics), for one host.</summary>
    private sealed class ActiveCircuits : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _active;

        public ActiveCircuits(IMeterFactory host)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, host) && instrument.Name == "aspnetcore.components.circuit.active")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _active, value));
            _listener.Start();
        }

        public async Task WaitForAsync(long expected)
        {
            var sw = Stopwatch.StartNew();
            while (Interlocked.Read(ref _active) != expected)
            {
                if (sw.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new InvalidOperationException($"The server reports {Interlocked.Read(ref _active)} active circuits, expected {expected}.");
                }

                await Task.Delay(50);
            }
        }

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>The child process that holds the browser, spoken to line by line over its standard streams.</summary>
    private sealed class BrowserDriver : IDisposable
    {
        private readonly Process _process;

        private BrowserDriver(Process process) => _process = process;

        public static BrowserDriver Start(Uri page, string readiness, int circuits)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            {
                start.ArgumentList.Add(typeof(CircuitMemoryBench).Assembly.Location);
            }

            foreach (var arg in new[] { BrowserDriverArg, page.ToString(), readiness, circuits.ToString(Inv), WarmCircuits.ToString(Inv) })
            {
                start.ArgumentList.Add(arg);
            }

            return new BrowserDriver(Process.Start(start) ?? throw new InvalidOperationException("The browser driver did not start."));
        }

        public async Task ExpectAsync(string word)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            var line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line != word)
            {
                throw new InvalidOperationException($"The browser driver said '{line ?? "(nothing, it exited)"}' instead of '{word}'.");
            }
        }

        public async Task SendAsync(string word)
        {
            await _process.StandardInput.WriteLineAsync(word);
            await _process.StandardInput.FlushAsync();
        }

        public void Dispose()
        {
            // Without further input the driver closes its browser and exits, also after a failure here.
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }
    }

    // ---------------------------------------------------------------- the browser, in the child process

    /// <summary>
    /// Opens the warm-up pages, says "warm"; on "open" opens the measured pages, says "ready"; on
    /// "close" closes the browser, says "closed". Pages stay open in between, each holding its circuit.
    /// </summary>
    public static async Task<int> DriveBrowserAsync(string[] args)
    {
        var url = args[1];
        var readiness = args[2];
        var circuits = int.Parse(args[3], Inv);
        var warm = int.Parse(args[4], Inv);
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run",
                ],
            });

            // Each warm-up page gets its own context and is the opener of a share of the measured pages.
            var openers = new List<IPage>();
            for (var i = 0; i < warm; i++)
            {
                var context = await browser.NewContextAsync(new BrowserNewContextOptions
                {
                    ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
                    Locale = "en-US",
                    TimezoneId = "UTC",
                });
                context.SetDefaultTimeout((float)PageTimeout.TotalMilliseconds);
                var page = await context.NewPageAsync();
                await page.GotoAsync(url);
                await WaitInteractiveAsync(page, readiness);
                openers.Add(page);
            }

            Console.WriteLine("warm");
            if (Console.ReadLine() != "open")
            {
                return 1;
            }

            // Chromium gives every new tab a renderer process of its own, --renderer-process-limit or not
            // (tens of gigabytes at K=200); a same-site popup shares its opener's renderer.
            var next = -1;
            var opened = 0;
            await Task.WhenAll(openers.Select(async opener =>
            {
                while (Interlocked.Increment(ref next) < circuits)
                {
                    var page = await opener.RunAndWaitForPopupAsync(() => opener.EvaluateAsync("url => { window.open(url); }", url));
                    await page.WaitForLoadStateAsync(LoadState.Load);
                    await WaitInteractiveAsync(page, readiness);
                    if (Interlocked.Increment(ref opened) % 50 == 0)
                    {
                        Console.Error.WriteLine($"    {readiness}: {opened}/{circuits} circuits open");
                    }
                }
            }));

            Console.WriteLine("ready");
            if (Console.ReadLine() != "close")
            {
                return 1;
            }

            await browser.CloseAsync();
            Console.WriteLine("closed");
            return 0;
        }
        catch (Exception e)
        {
            Console.WriteLine($"error: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
    }

    private static async Task WaitInteractiveAsync(IPage page, string readiness)
    {
        if (readiness == "home")
        {
            // Only the interactive render sets the flag; the listing cards show the seeded data arrived.
            await page.Locator(".app-shell[data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await page.Locator(".ticket-grid[data-state=loaded] [data-ticket-id]").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
            return;
        }

        // The template's Counter has no interactivity marker: a click counts only once the circuit runs.
        var sw = Stopwatch.StartNew();
        var status = page.Locator("p[role=status]");
        while (true)
        {
            await page.Locator("button", new() { HasText = "Click me" }).ClickAsync();
            try
            {
                await Assertions.Expect(status).Not.ToHaveTextAsync("Current count: 0", new() { Timeout = 250 });
                return;
            }
            catch (PlaywrightException) when (sw.Elapsed < PageTimeout)
            {
                // Not interactive yet; click again.
            }
        }
    }
}
