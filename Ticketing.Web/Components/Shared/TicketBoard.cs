using Ticketing.Infrastructure.Tickets;
using Ticketing.Web.Hubs;
using Ticketing.Web.Live;

namespace Ticketing.Web.Components.Shared;

/// <summary>
/// A page's copy of some listings, kept current by live changes. A change applies only when it is
/// newer than what is shown (events may arrive late or twice), and a withdrawn listing never comes
/// back. Changes that arrive while the first load is still running are kept and merged into it.
/// </summary>
public sealed class TicketBoard(Func<TicketView, bool>? belongs = null)
{
    private readonly Dictionary<Guid, TicketView> _tickets = [];
    private readonly Dictionary<Guid, TicketView> _pushed = [];
    private readonly Dictionary<Guid, long> _arrival = [];
    private readonly HashSet<Guid> _withdrawn = [];
    private long _sequence;

    public bool IsLoaded { get; private set; }

    public int Count => _tickets.Count;

    /// <summary>Newest listing first (the order the server lists them in, then live additions on top).</summary>
    public IEnumerable<TicketView> Newest => _tickets.Values.OrderByDescending(t => _arrival[t.Id]);

    public TicketView? Find(Guid id) => _tickets.GetValueOrDefault(id);

    /// <summary>
    /// Takes the server's list (newest first) in place of what was shown, keeping any newer state
    /// pushed live since the previous load.
    /// </summary>
    public void Load(IEnumerable<TicketView> newestFirst)
    {
        var pushed = _pushed.Values.ToList();
        _pushed.Clear();
        _tickets.Clear();
        _arrival.Clear();
        foreach (var ticket in newestFirst.Reverse())
        {
            if (!_withdrawn.Contains(ticket.Id))
            {
                Put(ticket);
            }
        }

        foreach (var ticket in pushed)
        {
            if (!_tickets.TryGetValue(ticket.Id, out var loaded) || ticket.Version > loaded.Version)
            {
                Put(ticket);
            }
        }

        IsLoaded = true;
    }

    /// <summary>Applies one pushed change; true when what is shown changed.</summary>
    public bool Apply(TicketChange change)
    {
        var ticket = change.Ticket;
        if (change.Kind == LiveMethods.TicketWithdrawn)
        {
            _withdrawn.Add(ticket.Id);
            _arrival.Remove(ticket.Id);
            _pushed.Remove(ticket.Id);
            return _tickets.Remove(ticket.Id);
        }

        if (_withdrawn.Contains(ticket.Id) || (belongs is not null && !belongs(ticket)))
        {
            return false;
        }

        if (_tickets.TryGetValue(ticket.Id, out var shown) && ticket.Version <= shown.Version)
        {
            return false;
        }

        Put(ticket);
        _pushed[ticket.Id] = ticket;
        return true;
    }

    private void Put(TicketView ticket)
    {
        if (!_arrival.ContainsKey(ticket.Id))
        {
            _arrival[ticket.Id] = ++_sequence;
        }

        _tickets[ticket.Id] = ticket;
    }
}
