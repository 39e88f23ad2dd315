using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Tickets;

namespace Ticketing.Web.Live;

/// <param name="Relayed">True when another instance committed the change.</param>
public sealed record TicketChange(string Kind, TicketView Ticket, bool Relayed = false);

public sealed record OrderChange(OrderView Order, bool Relayed = false);

/// <summary>
/// The in-process fan-out of committed changes to the open Blazor circuits. Fed by the same outbox
/// handlers that feed the SignalR hub, so pages and external clients see the same changes.
/// </summary>
public sealed class LiveFeed
{
    public event Action<TicketChange>? TicketChanged;

    public event Action<OrderChange>? OrderChanged;

    public void Publish(TicketChange change) => TicketChanged?.Invoke(change);

    public void Publish(OrderChange change) => OrderChanged?.Invoke(change);
}

/// <summary>
/// One per circuit: what a component subscribes to. It filters orders to the signed-in buyer's
/// own and stops listening when the circuit ends.
/// </summary>
public sealed class LiveUpdates : IDisposable
{
    private readonly LiveFeed _feed;

    public LiveUpdates(LiveFeed feed)
    {
        _feed = feed;
        _feed.TicketChanged += OnTicketChanged;
        _feed.OrderChanged += OnOrderChanged;
    }

    public event Func<TicketChange, Task>? TicketChanged;

    public event Func<OrderChange, Task>? OrderChanged;

    public void Dispose()
    {
        _feed.TicketChanged -= OnTicketChanged;
        _feed.OrderChanged -= OnOrderChanged;
    }

    private void OnTicketChanged(TicketChange change) => _ = Raise(TicketChanged, change);

    private void OnOrderChanged(OrderChange change) => _ = Raise(OrderChanged, change);

    private static async Task Raise<T>(Func<T, Task>? handlers, T change)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Func<T, Task>>())
        {
            try
            {
                await handler(change);
            }
            catch (ObjectDisposedException)
            {
                // The component went away between the change and its rendering.
            }
        }
    }
}
