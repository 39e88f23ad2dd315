namespace Ticketing.Infrastructure.Events;

/// <summary>
/// Wakes the dispatcher right after a commit that wrote outbox rows. A count of one is enough:
/// the dispatcher drains everything pending each time it wakes.
/// </summary>
public sealed class OutboxSignal
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
            // Already signalled; the dispatcher will see this commit too.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pending.WaitAsync(timeout, cancellationToken);
}
