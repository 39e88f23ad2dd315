using System.Globalization;

namespace Ticketing.ReliabilityTests.Support;

/// <summary>Run lengths: short by default, the full lengths through environment variables.</summary>
public static class Knobs
{
    /// <summary>Seconds of load before each crash: 8 by default, 30 for the full run.</summary>
    public static int CrashLoadSeconds => Read("RELIABILITY_LOAD_SECONDS", 8);

    /// <summary>Crash-and-restart runs in one test: 5.</summary>
    public static int CrashRuns => Read("RELIABILITY_CRASH_RUNS", 5);

    /// <summary>Seconds of held load: 10 by default, 60 for the full run.</summary>
    public static int HeldLoadSeconds => Read("RELIABILITY_HELD_SECONDS", 10);

    /// <summary>The seed of every random choice; a failure prints it.</summary>
    public static int Seed => Read("RELIABILITY_SEED", 20261124);

    private static int Read(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
