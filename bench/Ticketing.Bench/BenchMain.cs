using System.Globalization;
using Ticketing.Bench.Figures;

namespace Ticketing.Bench;

/// <summary>
/// Runs the figures asked for (<c>--only B1,B1b,...</c>), each against its baseline in the same run, and
/// writes docs/benchmarks.md; one file per figure under Figures/.
/// </summary>
internal static class BenchMain
{
    public static async Task<int> Main(string[] args)
    {
        if (args.FirstOrDefault() == HeadlessPages.DriverArg)
        {
            return await HeadlessPages.DriveAsync(args);
        }

        var quick = args.Contains("--quick");
        var rounds = IntArg(args, "--rounds", quick ? 3 : 5);
        var rows = new List<Row>();
        var only = StrArg(args, "--only");
        var output = StrArg(args, "--out") ?? FindDocsPath();
        var started = DateTime.UtcNow;
        Log($"Ticketing bench: quick={quick} rounds={rounds} only={only ?? "all"}");

        bool Run(string name) => only is null || only.Split(',').Contains(name, StringComparer.OrdinalIgnoreCase);

        if (Run("B1") || Run("B1b"))
        {
            using var app = new BenchApp();
            _ = app.BaseAddress;
            var b1 = await ReserveThroughput.RunAsync(app, IntArg(args, "--b1-reservations", quick ? 150 : 1000), IntArg(args, "--b1-per-buyer", 4), rounds, Log);
            if (Run("B1"))
            {
                rows.Add(b1);
            }

            if (Run("B1b"))
            {
                rows.Add(await ReserveContention.RunAsync(app, b1.App, rounds, IntArg(args, "--b1b-seconds", quick ? 2 : 5), Log));
            }
        }

        // On a shared machine, --quiet-load L waits (up to --quiet-minutes, default 60) before each of these figures for a 1-minute load average under L.
        var quiet = StrArg(args, "--quiet-load") is { } q ? double.Parse(q, CultureInfo.InvariantCulture) : (double?)null;
        var patience = TimeSpan.FromMinutes(IntArg(args, "--quiet-minutes", 60));
        Task Quiet() => Stats.WaitForQuietAsync(quiet, patience, Log);

        if (Run("B2"))
        {
            await Quiet();
            rows.Add(await ListingRead.RunAsync(IntArg(args, "--b2-listings", 10_000), rounds, IntArg(args, "--b2-seconds", quick ? 2 : 5), Log));
        }

        if (Run("B3"))
        {
            using var app = new BenchApp();
            rows.Add(await LiveFanOut.RunAsync(app, IntArg(args, "--b3-clients", quick ? 200 : 1000), IntArg(args, "--b3-triggers", quick ? 10 : 30), rounds, Log));
        }

        if (Run("B4"))
        {
            rows.Add(await ExpirySweep.RunAsync(IntArg(args, "--b4-orders", quick ? 300 : 10_000), Math.Min(rounds, 3), Log));
        }

        if (Run("B5"))
        {
            await Quiet();
            HomeCircuitMemory.Hold = TimeSpan.FromSeconds(IntArg(args, "--b5-hold-seconds", 0));
            rows.Add(await HomeCircuitMemory.RunAsync(IntArg(args, "--b5-circuits", quick ? 50 : 200), IntArg(args, "--listings", 10_000), rounds, Log));
        }

        if (Run("B6"))
        {
            await Quiet();
            rows.Add(await HomeRender.RunAsync(IntArg(args, "--listings", 10_000), 10, rounds, IntArg(args, "--b6-requests", quick ? 50 : 200), Log));
        }

        if (Run("B7"))
        {
            await Quiet();
            rows.Add(await LiveFanOutToCircuits.RunAsync(IntArg(args, "--b7-circuits", quick ? 100 : 1000), IntArg(args, "--b7-browsers", 8), IntArg(args, "--listings", 10_000), IntArg(args, "--b7-locks", quick ? 3 : 5), Log));
        }

        var markdown = Report.Write(rows, started, args, quick, rounds);

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


    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}
