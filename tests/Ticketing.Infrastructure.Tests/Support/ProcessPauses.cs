using System.Diagnostics;

namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>
/// Records when this test process could not run at all: a heartbeat on its own thread asks to wake
/// every 10 ms, and every wake-up later than that is a pause (the machine's cores busy with other
/// processes, memory paged out, a garbage collection suspending every thread). A timing assertion
/// subtracts the pauses that fell inside what it measured, so it measures what the code under test
/// waited for, not what the machine did to every thread at once. The heartbeat is not on the thread
/// pool, so neither a wait on a lock, a socket or a server, nor a pool those waits starve, pauses
/// it: such waits are never subtracted.
/// </summary>
internal sealed class ProcessPauses : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    // Pauses shorter than this are the timer's own jitter.
    private static readonly TimeSpan Jitter = TimeSpan.FromMilliseconds(20);

    private readonly List<(long From, long To)> _pauses = [];
    private readonly Thread _heartbeat;
    private volatile bool _stopped;

    private ProcessPauses()
    {
        _heartbeat = new Thread(Beat) { IsBackground = true, Name = "pause-heartbeat" };
        _heartbeat.Start();
    }

    public static ProcessPauses Watch() => new();

    public static long Now => Stopwatch.GetTimestamp();

    /// <summary>The longest single pause recorded so far.</summary>
    public TimeSpan Longest
    {
        get
        {
            lock (_pauses)
            {
                return _pauses.Count == 0 ? TimeSpan.Zero : _pauses.Max(p => Stopwatch.GetElapsedTime(p.From, p.To));
            }
        }
    }

    /// <summary>How much of the time between the two timestamps the process was paused.</summary>
    public TimeSpan Within(long from, long to)
    {
        lock (_pauses)
        {
            var ticks = 0L;
            foreach (var (pausedFrom, pausedTo) in _pauses)
            {
                ticks += Math.Max(0, Math.Min(to, pausedTo) - Math.Max(from, pausedFrom));
            }

            return TimeSpan.FromSeconds((double)ticks / Stopwatch.Frequency);
        }
    }

    public void Dispose()
    {
        _stopped = true;
        _heartbeat.Join();
    }

    private void Beat()
    {
        var expected = (long)(Tick.TotalSeconds * Stopwatch.Frequency);
        var jitter = (long)(Jitter.TotalSeconds * Stopwatch.Frequency);
        while (!_stopped)
        {
            var asleep = Now;
            Thread.Sleep(Tick);
            var awake = Now;
            if (awake - asleep > expected + jitter)
            {
                lock (_pauses)
                {
                    _pauses.Add((asleep + expected, awake));
                }
            }
        }
    }
}
