using Ticketing.Infrastructure.Paging;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Web.Hubs;
using Ticketing.Web.Live;

namespace Ticketing.Web.Components.Shared;

/// <summary>
/// The page of listings on screen, kept current by live changes. A change applies only when it is
/// newer than what is shown (events may arrive late or twice). A new listing that belongs to the
/// page's filter goes on top when the page shows the newest listings first from the start;
/// otherwise it is counted, for an "N new listings" prompt. Changes that arrive while a page loads
/// are kept and applied to it once it is there, so nothing committed meanwhile is lost.
/// </summary>
public sealed class TicketBoard(int pageSize)
{
    // While a page loads the board takes every change on the site; a load lasts milliseconds, and
    // past this many the loaded page is recent enough without them.
    private const int MaxHeldWhileLoading = 1_000;

    private readonly List<TicketChange> _heldWhileLoading = [];
    private List<TicketSummary> _shown = [];
    private TicketFilter _filter = new();
    private bool _newOnTop;
    private bool _loading;

    public bool IsLoaded { get; private set; }

    public IReadOnlyList<TicketSummary> Tickets => _shown;

    public IEnumerable<Guid> Ids => _shown.Select(t => t.Id);

    /// <summary>The page number shown (from 1) and how many pages there are.</summary>
    public int Page { get; private set; } = 1;

    public int PageCount { get; private set; } = 1;

    /// <summary>How many listings match the filter: as loaded, plus those put on top since.</summary>
    public int Total { get; private set; }

    /// <summary>Listings created since the load that match the filter but are not on this page.</summary>
    public int NewListings { get; private set; }

    public TicketSummary? Find(Guid id) => _shown.Find(t => t.Id == id);

    /// <summary>From now until <see cref="Load"/>, changes are held for the page being loaded.</summary>
    public void BeginLoad()
    {
        _loading = true;
        _heldWhileLoading.Clear();
    }

    /// <summary>The load failed: what is shown stays, and changes apply to it again.</summary>
    public void CancelLoad()
    {
        _loading = false;
        _heldWhileLoading.Clear();
    }

    /// <param name="newOnTop">True when the page starts with the newest listing, so that a new one belongs first on it.</param>
    public void Load(NumberedPage<TicketSummary> page, TicketFilter filter, bool newOnTop)
    {
        _shown = [.. page.Items];
        (Page, PageCount, Total) = (page.Number, page.PageCount, page.Total);
        (_filter, _newOnTop) = (filter, newOnTop);
        NewListings = 0;
        _loading = false;
        IsLoaded = true;
        var held = _heldWhileLoading.ToList();
        _heldWhileLoading.Clear();
        foreach (var change in held)
        {
            Apply(change);
        }
    }

    /// <summary>Applies one pushed change; true when what is shown changed.</summary>
    public bool Apply(TicketChange change)
    {
        if (_loading)
        {
            if (_heldWhileLoading.Count < MaxHeldWhileLoading)
            {
                _heldWhileLoading.Add(change);
            }

            return false;
        }

        var ticket = TicketSummary.From(change.Ticket);
        var index = _shown.FindIndex(t => t.Id == ticket.Id);
        if (change.Kind == LiveMethods.TicketWithdrawn)
        {
            if (index < 0)
            {
                return false;
            }

            _shown.RemoveAt(index);
            Total--;
            return true;
        }

        if (index >= 0)
        {
            if (ticket.Version <= _shown[index].Version)
            {
                return false;
            }

            _shown[index] = ticket;
            return true;
        }

        if (change.Kind != LiveMethods.TicketCreated || !_filter.Matches(ticket))
        {
            return false;
        }

        Total++;
        if (!_newOnTop)
        {
            NewListings++;
            return true;
        }

        _shown.Insert(0, ticket);
        if (_shown.Count > pageSize)
        {
            _shown.RemoveAt(_shown.Count - 1);
        }

        PageCount = Math.Max(PageCount, (Total + pageSize - 1) / pageSize);
        return true;
    }
}
