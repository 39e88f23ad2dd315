namespace Ticketing.Infrastructure.Common;

/// <summary>
/// Wakes a background loop right after a commit that gave it work, so that the work does not wait
/// for the loop's next poll. A count of one is enough: the loop drains everything pending each time
/// it wakes.
/// </summary>
public abstract class WakeSignal
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    public void Notify()
    {
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; the loop will see this commit too.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pending.WaitAsync(timeout, cancellationToken);
}
