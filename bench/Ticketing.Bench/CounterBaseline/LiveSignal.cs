namespace Ticketing.Bench.CounterBaseline;

/// <summary>The B7 baseline's whole "market": one ticket's id and status, changed by <c>POST /trigger</c>.</summary>
public sealed class LiveSignal
{
    private volatile ShownTicket _current = new("none", "available");

    public event Action? Changed;

    public ShownTicket Current => _current;

    public void Set(string id, string status)
    {
        _current = new ShownTicket(id, status);
        Changed?.Invoke();
    }
}

public sealed record ShownTicket(string Id, string Status);
