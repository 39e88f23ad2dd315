using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Components;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Tickets;

namespace Ticketing.Web.Live;

/// <param name="Relayed">True when another instance committed the change.</param>
public sealed record TicketChange(string Kind, TicketView Ticket, bool Relayed = false);

/// <param name="CancellationReason">Why a cancelled order was cancelled, for the pages that say so; the hub's push has no such member.</param>
/// <param name="Relayed">True when another instance committed the change.</param>
public sealed record OrderChange(OrderView Order, string? CancellationReason = null, bool Relayed = false)
{
    [JsonIgnore]
    public ShownOrder Shown => new(Order, CancellationReason);
}

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
/// One per circuit: what its components listen to. A component asks for a <see cref="LiveSubscription"/>
/// with <see cref="Subscribe"/> and adds its handlers and ticket watches to it; disposing the
/// subscription (with the component) or the circuit stops them all.
/// </summary>
public sealed class LiveUpdates : IDisposable
{
    private readonly LiveFeed _feed;
    private readonly Localization.CircuitCulture? _culture;
    private readonly Lock _gate = new();
    private readonly HashSet<TicketWatch> _watches = [];

    /// <param name="culture">The circuit's language, in which pushed changes render; none outside a circuit's scope.</param>
    public LiveUpdates(LiveFeed feed, Localization.CircuitCulture? culture = null)
    {
        _feed = feed;
        _culture = culture;
        Tickets = new Relay<TicketChange>(_gate, h => feed.TicketChanged += h, h => feed.TicketChanged -= h, culture);
        Orders = new Relay<OrderChange>(_gate, h => feed.OrderChanged += h, h => feed.OrderChanged -= h, culture);
    }

    /// <summary>How many handlers and ticket watches the circuit's components hold.</summary>
    public int Subscriptions
    {
        get
        {
            lock (_gate)
            {
                return Tickets.Count + Orders.Count + _watches.Count;
            }
        }
    }

    internal Relay<TicketChange> Tickets { get; }

    internal Relay<OrderChange> Orders { get; }

    /// <summary>
    /// The one rule for live updates: a component listens only once it runs interactively. A
    /// prerendered component is thrown away when its response is written, so whatever it listened to
    /// would only cost the server work (and, for ticket watches, routing entries) for no one; it gets
    /// a subscription that takes nothing, and listens for real in the circuit that follows.
    /// </summary>
    public LiveSubscription Subscribe(RendererInfo renderer) =>
        renderer.IsInteractive ? new LiveSubscription(this) : LiveSubscription.Prerendered;

    public void Dispose()
    {
        lock (_gate)
        {
            Tickets.Clear();
            Orders.Clear();
            foreach (var watch in _watches)
            {
                watch.Dispose();
            }

            _watches.Clear();
        }
    }

    internal TicketWatch Watch(Func<TicketChange, Task> onChange, Func<TicketChange, bool>? alsoWhen)
    {
        // Changes arrive on the outbox dispatcher's thread; the circuit renders them in its own language.
        var watch = _feed.Watch(_culture is null ? onChange : change => _culture.RunAsync(() => onChange(change)), alsoWhen);
        lock (_gate)
        {
            _watches.Add(watch);
        }

        return watch;
    }

    internal void Forget(TicketWatch watch)
    {
        watch.Dispose();
        lock (_gate)
        {
            _watches.Remove(watch);
        }
    }

    /// <summary>
    /// The circuit's handlers of one kind of change, attached to the feed only while there is at least
    /// one, so that an idle circuit costs the feed nothing. Changed under the circuit's lock.
    /// </summary>
    internal sealed class Relay<T>(Lock gate, Action<Action<T>> attach, Action<Action<T>> detach, Localization.CircuitCulture? culture)
    {
        private Func<T, Task>? _handlers;

        /// <summary>Read under the circuit's lock.</summary>
        public int Count => _handlers?.GetInvocationList().Length ?? 0;

        public void Add(Func<T, Task> handler)
        {
            lock (gate)
            {
                if (_handlers is null)
                {
                    attach(OnChange);
                }

                _handlers += handler;
            }
        }

        public void Remove(Func<T, Task> handler)
        {
            lock (gate)
            {
                if (_handlers is not null)
                {
                    _handlers -= handler;
                    if (_handlers is null)
                    {
                        detach(OnChange);
                    }
                }
            }
        }

        /// <summary>Called under the circuit's lock.</summary>
        public void Clear()
        {
            if (_handlers is not null)
            {
                detach(OnChange);
                _handlers = null;
            }
        }

        private void OnChange(T change)
        {
            var handlers = _handlers;
            _ = culture is null ? RaiseAsync(handlers, change) : culture.RunAsync(() => RaiseAsync(handlers, change));
        }

        private static async Task RaiseAsync(Func<T, Task>? handlers, T change)
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
}

/// <summary>
/// What one component listens to (from <see cref="LiveUpdates.Subscribe"/>). Dispose it with the
/// component. On a prerendered component it takes nothing: handlers are not called and
/// <see cref="WatchTickets"/> gives null.
/// </summary>
public sealed class LiveSubscription : IDisposable
{
    internal static readonly LiveSubscription Prerendered = new(null);

    private readonly LiveUpdates? _updates;
    private readonly Lock _gate = new();
    private readonly List<Action> _undo = [];

    internal LiveSubscription(LiveUpdates? updates) => _updates = updates;

    /// <summary>False on a prerendered component: nothing it adds is listened to.</summary>
    public bool IsListening => _updates is not null;

    /// <summary>Every ticket change on the site (admin views); a page showing some listings takes a <see cref="WatchTickets"/> instead.</summary>
    public void OnTicketChanged(Func<TicketChange, Task> handler) =>
        Hold(updates => updates.Tickets.Add(handler), updates => updates.Tickets.Remove(handler));

    public void OnOrderChanged(Func<OrderChange, Task> handler) =>
        Hold(updates => updates.Orders.Add(handler), updates => updates.Orders.Remove(handler));

    /// <inheritdoc cref="LiveFeed.Watch"/>
    /// <returns>Null on a prerendered component.</returns>
    public TicketWatch? WatchTickets(Func<TicketChange, Task> onChange, Func<TicketChange, bool>? alsoWhen = null)
    {
        TicketWatch? watch = null;
        Hold(updates => watch = updates.Watch(onChange, alsoWhen), updates => updates.Forget(watch!));
        return watch;
    }

    public void Dispose()
    {
        Action[] undo;
        lock (_gate)
        {
            undo = [.. _undo];
            _undo.Clear();
        }

        foreach (var step in undo)
        {
            step();
        }
    }

    private void Hold(Action<LiveUpdates> take, Action<LiveUpdates> release)
    {
        if (_updates is not { } updates)
        {
            return;
        }

        take(updates);
        lock (_gate)
        {
            _undo.Add(() => release(updates));
        }
    }
}
