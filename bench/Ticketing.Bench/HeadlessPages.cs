using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Playwright;

namespace Ticketing.Bench;

/// <summary>
/// Many real Blazor circuits from one headless Chromium: the pages are opened as same-site popups of
/// a few opener pages, so that they share the openers' renderer processes (Chromium gives every new
/// tab a renderer of its own, --renderer-process-limit or not: tens of gigabytes for hundreds of
/// tabs). The browser runs in a child process of the bench (<see cref="DriveAsync"/>), spoken to line
/// by line over its standard streams, so that Playwright's per-page objects stay out of the bench's
/// managed heap (which B5 measures) and its work out of the bench's thread pool.
/// </summary>
internal sealed class HeadlessPages : IDisposable
{
    public const string DriverArg = "--headless-pages";

    /// <summary>Opener pages, hence renderer processes: a few, so that every core has one.</summary>
    public const int MaxOpeners = 4;

    private const string ChromiumPath = "/usr/bin/chromium";
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(120);
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly Process _process;

    private HeadlessPages(Process process) => _process = process;

    /// <summary>Starts the browser and opens <paramref name="openers"/> pages at <paramref name="page"/>; returns once they are interactive.</summary>
    /// <param name="readiness">How to tell that a page's circuit runs: <c>home</c>, <c>counter</c> or <c>flag</c> (see <see cref="WaitInteractiveAsync"/>).</param>
    public static async Task<HeadlessPages> StartAsync(Uri page, string readiness, int openers)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(HeadlessPages).Assembly.Location);
        }

        foreach (var arg in new[] { DriverArg, page.ToString(), readiness, openers.ToString(Inv) })
        {
            start.ArgumentList.Add(arg);
        }

        var pages = new HeadlessPages(Process.Start(start) ?? throw new InvalidOperationException("The browser driver did not start."));
        try
        {
            await pages.ExpectAsync("warm");
            return pages;
        }
        catch
        {
            pages.Dispose();
            throw;
        }
    }

    /// <summary>Opens <paramref name="count"/> more pages, as popups of the openers, and returns once every one is interactive.</summary>
    public async Task OpenAsync(int count)
    {
        await SendAsync($"open {count.ToString(Inv)}");
        await ExpectAsync("ready");
    }

    /// <summary>Every page starts watching for the element with <c>data-ticket-id</c> <paramref name="ticketId"/> to show <c>data-status</c> <paramref name="status"/>.</summary>
    public async Task ArmAsync(string ticketId, string status)
    {
        await SendAsync($"arm {ticketId} {status}");
        await ExpectAsync("armed");
    }

    /// <summary>
    /// When each page saw what it was armed for, as Unix milliseconds from the browser's clock (the
    /// machine's, as the bench's), waiting up to <paramref name="timeout"/> for all; pages that never
    /// saw it are missing from the list.
    /// </summary>
    public async Task<(List<double> Seen, int Pages)> CollectAsync(TimeSpan timeout)
    {
        await SendAsync($"collect {(long)timeout.TotalMilliseconds}");
        var line = await ReadAsync();
        var parts = line?.Split(' ') ?? [];
        if (parts.Length < 2 || parts[0] != "seen")
        {
            throw new InvalidOperationException($"The browser driver said '{line ?? "(nothing, it exited)"}' instead of the times seen.");
        }

        var times = parts.Skip(2).Select(p => double.Parse(p, Inv)).ToList();
        return (times.Where(t => t > 0).ToList(), int.Parse(parts[1], Inv));
    }

    public async Task CloseAsync()
    {
        await SendAsync("close");
        await ExpectAsync("closed");
    }

    public void Dispose()
    {
        // Without further input the driver closes its browser and exits, also after a failure here.
        _process.StandardInput.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private async Task ExpectAsync(string word)
    {
        var line = await ReadAsync();
        if (line != word)
        {
            throw new InvalidOperationException($"The browser driver said '{line ?? "(nothing, it exited)"}' instead of '{word}'.");
        }
    }

    private async Task<string?> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(60));
        return await _process.StandardOutput.ReadLineAsync(timeout.Token);
    }

    private async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    // ---------------------------------------------------------------- the browser, in the child process

    /// <summary>The child process: opens the openers, says "warm", then answers the commands above until "close" or the end of its input.</summary>
    public static async Task<int> DriveAsync(string[] args)
    {
        var url = args[1];
        var readiness = args[2];
        var openerCount = int.Parse(args[3], Inv);
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

            // Each opener gets its own context, hence its own renderer process, shared by its popups.
            var openers = new List<IPage>();
            for (var i = 0; i < openerCount; i++)
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

            var pages = new List<IPage>(openers);
            Console.WriteLine("warm");
            while (Console.ReadLine() is { } command)
            {
                var words = command.Split(' ');
                switch (words[0])
                {
                    case "open":
                        pages.AddRange(await OpenPopupsAsync(openers, url, readiness, int.Parse(words[1], Inv)));
                        Console.WriteLine("ready");
                        break;
                    case "arm":
                        await ForEachAsync(pages, page => page.EvaluateAsync(ArmScript, new[] { words[1], words[2] }));
                        Console.WriteLine("armed");
                        break;
                    case "collect":
                        var seen = await CollectAsync(pages, TimeSpan.FromMilliseconds(long.Parse(words[1], Inv)));
                        Console.WriteLine($"seen {pages.Count} {string.Join(' ', seen.Select(s => s.ToString("0.###", Inv)))}");
                        break;
                    case "close":
                        await browser.CloseAsync();
                        Console.WriteLine("closed");
                        return 0;
                    default:
                        Console.WriteLine($"error: unknown command {words[0]}");
                        return 1;
                }
            }

            return 0;
        }
        catch (Exception e)
        {
            Console.WriteLine($"error: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
    }

    /// <summary>
    /// Records (once) the wall-clock time at which the armed element shows the armed status: a
    /// MutationObserver's callback runs as a microtask right after the DOM change that caused it,
    /// before the browser paints. -1 until then; an element already showing it records at once.
    /// </summary>
    private const string ArmScript = """
        ([id, status]) => {
            window.__benchSeen = -1;
            window.__benchObserver?.disconnect();
            const selector = `[data-ticket-id="${id}"]`;
            const check = () => {
                const element = document.querySelector(selector);
                if (window.__benchSeen < 0 && element && element.getAttribute('data-status') === status) {
                    window.__benchSeen = Date.now();
                    window.__benchObserver.disconnect();
                }
            };
            window.__benchObserver = new MutationObserver(check);
            window.__benchObserver.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status', 'data-ticket-id'] });
            check();
        }
        """;

    private static async Task<List<IPage>> OpenPopupsAsync(List<IPage> openers, string url, string readiness, int count)
    {
        var opened = new List<IPage>(count);
        var next = -1;
        await Task.WhenAll(openers.Select(async opener =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                var page = await opener.RunAndWaitForPopupAsync(() => opener.EvaluateAsync("url => { window.open(url); }", url));
                await page.WaitForLoadStateAsync(LoadState.Load);
                await WaitInteractiveAsync(page, readiness);
                int done;
                lock (opened)
                {
                    opened.Add(page);
                    done = opened.Count;
                }

                if (done % 50 == 0)
                {
                    Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}]     {readiness}: {done}/{count} pages open");
                }
            }
        }));
        return opened;
    }

    private static async Task<List<double>> CollectAsync(List<IPage> pages, TimeSpan timeout)
    {
        var seen = new double[pages.Count];
        var sw = Stopwatch.StartNew();

        // Asking a page costs its renderer work: let the change arrive undisturbed first.
        await Task.Delay(TimeSpan.FromSeconds(2));
        while (true)
        {
            await ForEachAsync(pages.Select((page, i) => (page, i)).Where(p => seen[p.i] <= 0).ToList(), async p =>
            {
                seen[p.i] = await p.page.EvaluateAsync<double>("() => window.__benchSeen ?? -1");
            });
            if (seen.All(s => s > 0) || sw.Elapsed > timeout)
            {
                return [.. seen];
            }

            await Task.Delay(500);
        }
    }

    /// <summary>Runs <paramref name="action"/> on every page, a few dozen at a time.</summary>
    private static async Task ForEachAsync<T>(IEnumerable<T> items, Func<T, Task> action)
    {
        using var gate = new SemaphoreSlim(32);
        await Task.WhenAll(items.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                await action(item);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private static async Task WaitInteractiveAsync(IPage page, string readiness)
    {
        switch (readiness)
        {
            case "home":
                // Only the interactive render sets the flag; the listing cards show the listings arrived.
                await page.Locator(".app-shell[data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
                await page.Locator(".ticket-grid[data-state=loaded] [data-ticket-id]").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
                return;
            case "flag":
                await page.Locator("[data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
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

/// <summary>The server's own count of open circuits (ASP.NET Core's circuit metrics), for one host.</summary>
internal sealed class ActiveCircuits : IDisposable
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

    public long Active => Interlocked.Read(ref _active);

    public async Task WaitForAsync(long expected)
    {
        var sw = Stopwatch.StartNew();
        while (Active != expected)
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"The server reports {Active} active circuits, expected {expected}.");
            }

            await Task.Delay(50);
        }
    }

    public void Dispose() => _listener.Dispose();
}
