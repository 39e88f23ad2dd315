namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>What one racer ended with: its result, or the exception it threw.</summary>
internal sealed record Outcome<T>(T? Value, Exception? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// Runs racers on dedicated threads released together by a barrier. Dedicated threads, not the
/// thread pool: SQLite's async calls run synchronously, so pool threads would start the racers
/// one after another on a two-core machine instead of at once.
/// </summary>
internal static class Race
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private static readonly AsyncLocal<object?> CurrentRacer = new();

    /// <summary>
    /// The racer whose flow the caller runs in (one object per racer of each race), or null outside
    /// a racer: a background loop that reads the same row (an on-commit handler of an earlier save)
    /// is none of them.
    /// </summary>
    public static object? Racer => CurrentRacer.Value;

    public static Task<Outcome<T>[]> RunAsync<T>(IReadOnlyList<Func<Task<T>>> racers)
    {
        var barrier = new Barrier(racers.Count);
        var outcomes = new TaskCompletionSource<Outcome<T>>[racers.Count];
        for (var i = 0; i < racers.Count; i++)
        {
            var racer = racers[i];
            var outcome = outcomes[i] = new TaskCompletionSource<Outcome<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                try
                {
                    if (!barrier.SignalAndWait(StartTimeout))
                    {
                        throw new TimeoutException("The racers never all reached the start line.");
                    }

                    CurrentRacer.Value = new object();
                    outcome.SetResult(new Outcome<T>(racer().GetAwaiter().GetResult(), null));
                }
                catch (Exception ex)
                {
                    outcome.SetResult(new Outcome<T>(default, ex));
                }
            })
            {
                IsBackground = true,
                Name = $"racer-{i}",
            };
            thread.Start();
        }

        return Task.WhenAll(outcomes.Select(o => o.Task));
    }
}
