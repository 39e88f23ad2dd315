using System.Globalization;

namespace Ticketing.ReliabilityTests.Support;

/// <summary>Run lengths: the full lengths by default; shorter ones through environment variables for a quick local check.</summary>
public static class Knobs
{
    /// <summary>Seconds of load in each crash run (the SIGKILL lands at a random moment within): 30.</summary>
    public static int CrashLoadSeconds => Read("RELIABILITY_LOAD_SECONDS", 30);

    /// <summary>Crash-and-restart runs in one test: 5.</summary>
    public static int CrashRuns => Read("RELIABILITY_CRASH_RUNS", 5);

    /// <summary>Seconds of held load: 60.</summary>
    public static int HeldLoadSeconds => Read("RELIABILITY_HELD_SECONDS", 60);

    /// <summary>The seed of every random choice; a failure prints it.</summary>
    public static int Seed => Read("RELIABILITY_SEED", 20261124);

    private static int Read(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
