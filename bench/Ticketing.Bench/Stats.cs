using System.Globalization;

namespace Ticketing.Bench;

/// <summary>Order statistics for the figures, and the machine's load beside them.</summary>
internal static class Stats
{
    public static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    /// <summary>Nearest-rank percentile (<paramref name="p"/> in 0..1); the median of an even count is the mean of its middle two.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var s = values.Order().ToList();
        if (s.Count == 0)
        {
            return double.NaN;
        }

        if (p == 0.5 && s.Count % 2 == 0)
        {
            return (s[(s.Count / 2) - 1] + s[s.Count / 2]) / 2;
        }

        return s[Math.Clamp((int)Math.Ceiling(p * s.Count) - 1, 0, s.Count - 1)];
    }

    /// <summary>CPU time used by this process so far (all threads: app, dispatcher, load generator).</summary>
    public static TimeSpan ProcessCpu() => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;

    /// <summary>The 1-, 5- and 15-minute load averages, as <c>/proc/loadavg</c> gives them.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    public static double OneMinuteLoad() =>
        File.Exists("/proc/loadavg") ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) : 0;

    /// <summary>
    /// Waits until the 1-minute load average falls under <paramref name="maxLoad"/> (the machine is
    /// shared), checking every minute, for at most <paramref name="patience"/>; then goes on anyway
    /// and says so, since the load is reported beside every figure.
    /// </summary>
    public static async Task WaitForQuietAsync(double? maxLoad, TimeSpan patience, Action<string> log)
    {
        if (maxLoad is not { } limit)
        {
            return;
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (OneMinuteLoad() >= limit)
        {
            if (waited.Elapsed > patience)
            {
                log($"  load average still {LoadAverage()} after {waited.Elapsed.TotalMinutes:0} min; measuring anyway");
                return;
            }

            log($"  load average {LoadAverage()}, waiting for < {limit.ToString(CultureInfo.InvariantCulture)}");
            await Task.Delay(TimeSpan.FromMinutes(1));
        }
    }
}
