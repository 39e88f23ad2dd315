using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Tickets;

namespace Ticketing.Web.Live;

/// <param name="Relayed">True when another instance committed the change.</param>
public sealed record TicketChange(string Kind, TicketView Ticket, bool Relayed = false);

public sealed record OrderChange(OrderView Order, bool Relayed = false);

/// <summary>
/// The in-process fan-out of committed changes to the open Blazor circuits. Fed by the same outbox
/// handlers that feed the SignalR hub, so pages and external clients see the same changes.
/// A page showing some listings takes a <see cref="TicketWatch"/>: a change then wakes only the
/// circuits showing that ticket (or asking for it by a rule, such as "new listings"), not every
/// circuit open on the site.
/// </summary>
public sealed class LiveFeed
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, List<TicketWatch>> _byTicket = [];
    private readonly List<TicketWatch> _byRule = [];

    /// <summary>Every ticket change, for whatever follows the whole market (the Redis relay).</summary>
    public event Action<TicketChange>? TicketChanged;

    public event Action<OrderChange>? OrderChanged;

    public void Publish(TicketChange change)
    {
        TicketChanged?.Invoke(change);
        foreach (var watch in WatchersOf(change))
        {
            watch.Deliver(change);
        }
    }

    public void Publish(OrderChange change) => OrderChanged?.Invoke(change);

    /// <param name="onChange">Called for each change the watch takes, on the publisher's thread: hand it to the circuit.</param>
    /// <param name="alsoWhen">
    /// Takes changes of tickets the watch does not show when this says so (evaluated for every
    /// change on the site, so it must be cheap), e.g. new listings for a page that puts them on top.
    /// </param>
    public TicketWatch Watch(Func<TicketChange, Task> onChange, Func<TicketChange, bool>? alsoWhen = null)
    {
        var watch = new TicketWatch(this, onChange, alsoWhen);
        if (alsoWhen is not null)
        {
            lock (_gate)
            {
                _byRule.Add(watch);
            }
        }

        return watch;
    }

    internal void Route(TicketWatch watch, HashSet<Guid> ids, bool everything)
    {
        lock (_gate)
        {
            foreach (var id in watch.Ids)
            {
                if (!ids.Contains(id))
                {
                    Unindex(watch, id);
                }
            }

            foreach (var id in ids)
            {
                if (!watch.Ids.Contains(id))
                {
                    if (!_byTicket.TryGetValue(id, out var watching))
                    {
                        _byTicket[id] = watching = [];
                    }

                    watching.Add(watch);
                }
            }

            watch.Ids = ids;
            watch.Everything = everything;
            _byRule.Remove(watch);
            if (everything || watch.AlsoWhen is not null)
            {
                _byRule.Add(watch);
            }
        }
    }

    internal void Remove(TicketWatch watch)
    {
        lock (_gate)
        {
            foreach (var id in watch.Ids)
            {
                Unindex(watch, id);
            }

            watch.Ids = [];
            _byRule.Remove(watch);
        }
    }

    private List<TicketWatch> WatchersOf(TicketChange change)
    {
        var targets = new List<TicketWatch>();
        lock (_gate)
        {
            if (_byTicket.TryGetValue(change.Ticket.Id, out var watching))
            {
                targets.AddRange(watching);
            }

            foreach (var watch in _byRule)
            {
                if (!watch.Ids.Contains(change.Ticket.Id) && (watch.Everything || watch.AlsoWhen?.Invoke(change) == true))
                {
                    targets.Add(watch);
                }
            }
        }

        return targets;
    }

    private void Unindex(TicketWatch watch, Guid id)
    {
        if (_byTicket.TryGetValue(id, out var watching) && watching.Remove(watch) && watching.Count == 0)
        {
            _byTicket.Remove(id);
        }
    }
}

/// <summary>
/// One component's interest in ticket changes: the tickets it shows (<see cref="Show"/>), and
/// those its rule picks. While a page loads it does not know yet what it will show, so it takes
/// every change (<see cref="ShowEverything"/>) and keeps the ones that concern its result.
/// </summary>
public sealed class TicketWatch : IDisposable
{
    private readonly LiveFeed _feed;
    private readonly Func<TicketChange, Task> _onChange;

    internal TicketWatch(LiveFeed feed, Func<TicketChange, Task> onChange, Func<TicketChange, bool>? alsoWhen)
    {
        _feed = feed;
        _onChange = onChange;
        AlsoWhen = alsoWhen;
    }

    internal Func<TicketChange, bool>? AlsoWhen { get; }

    // Read and written under the feed's lock only.
    internal HashSet<Guid> Ids { get; set; } = [];

    internal bool Everything { get; set; }

    public void Show(IEnumerable<Guid> ids) => _feed.Route(this, ids.ToHashSet(), everything: false);

    public void ShowEverything() => _feed.Route(this, [], everything: true);

    public void Dispose() => _feed.Remove(this);

    internal void Deliver(TicketChange change) => _ = DeliverAsync(change);

    private async Task DeliverAsync(TicketChange change)
    {
        try
        {
            await _onChange(change);
        }
        catch (ObjectDisposedException)
        {
            // The component went away between the change and its rendering.
        }
    }
}

/// <summary>
/// One per circuit: what a component subscribes to. Pages that show some listings take a
/// <see cref="WatchTickets"/>; <see cref="TicketChanged"/> and <see cref="OrderChanged"/> carry
/// every change and are only listened to while some component handles them. Everything stops
/// when the circuit ends.
/// </summary>
/// <param name="culture">The circuit's language, in which pushed changes render; none outside a circuit's scope.</param>
public sealed class LiveUpdates(LiveFeed feed, Localization.CircuitCulture? culture = null) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<TicketWatch> _watches = [];
    private Func<TicketChange, Task>? _ticketHandlers;
    private Func<OrderChange, Task>? _orderHandlers;

    public event Func<TicketChange, Task>? TicketChanged
    {
        add
        {
            lock (_gate)
            {
                if (_ticketHandlers is null)
                {
                    feed.TicketChanged += OnTicketChanged;
                }

                _ticketHandlers += value;
            }
        }

        remove
        {
            lock (_gate)
            {
                _ticketHandlers -= value;
                if (_ticketHandlers is null)
                {
                    feed.TicketChanged -= OnTicketChanged;
                }
            }
        }
    }

    public event Func<OrderChange, Task>? OrderChanged
    {
        add
        {
            lock (_gate)
            {
                if (_orderHandlers is null)
                {
                    feed.OrderChanged += OnOrderChanged;
                }

                _orderHandlers += value;
            }
        }

        remove
        {
            lock (_gate)
            {
                _orderHandlers -= value;
                if (_orderHandlers is null)
                {
                    feed.OrderChanged -= OnOrderChanged;
                }
            }
        }
    }

    /// <inheritdoc cref="LiveFeed.Watch"/>
    public TicketWatch WatchTickets(Func<TicketChange, Task> onChange, Func<TicketChange, bool>? alsoWhen = null)
    {
        var watch = feed.Watch(InCircuitCulture(onChange), alsoWhen);
        lock (_gate)
        {
            _watches.Add(watch);
        }

        return watch;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            feed.TicketChanged -= OnTicketChanged;
            feed.OrderChanged -= OnOrderChanged;
            _ticketHandlers = null;
            _orderHandlers = null;
            foreach (var watch in _watches)
            {
                watch.Dispose();
            }

            _watches.Clear();
        }
    }

    private void OnTicketChanged(TicketChange change) => _ = InCircuitCulture<TicketChange>(c => Raise(_ticketHandlers, c))(change);

    private void OnOrderChanged(OrderChange change) => _ = InCircuitCulture<OrderChange>(c => Raise(_orderHandlers, c))(change);

    // Changes arrive on the outbox dispatcher's thread; the circuit renders them in its own language.
    private Func<T, Task> InCircuitCulture<T>(Func<T, Task> handler) =>
        culture is null ? handler : change => culture.RunAsync(() => handler(change));

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
