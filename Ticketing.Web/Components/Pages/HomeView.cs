using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Web.Components.Shared;

namespace Ticketing.Web.Components.Pages;

/// <summary>What the home page shows, as its address says: search, sort, status and page.</summary>
public sealed record HomeView(string Search, string Sort, string Status, int Page)
{
    public static readonly (string Key, string Label, TicketSort Order)[] SortOptions =
    [
        ("newest", "Newest first", TicketSort.Newest),
        ("price-asc", "Price: low to high", TicketSort.PriceAscending),
        ("price-desc", "Price: high to low", TicketSort.PriceDescending),
        ("event-date", "Event date", TicketSort.EventDate),
    ];

    public static readonly (string Key, string Label, TicketStatus? Status)[] StatusOptions =
    [
        ("all", "All", null),
        ("available", "Available", TicketStatus.Available),
        ("reserved", "Reserved", TicketStatus.Reserved),
        ("sold", "Sold", TicketStatus.Sold),
    ];

    public static readonly HomeView Default = new(string.Empty, "newest", "all", 1);

    public bool IsFiltered => Search.Length > 0 || Status != Default.Status;

    public TicketFilter Filter => new(Search, StatusOptions.First(o => o.Key == Status).Status);

    public TicketSort Order => SortOptions.First(o => o.Key == Sort).Order;

    /// <summary>Anything the address holds is read leniently: an unknown sort or status, or a page that is not a number, means the default.</summary>
    public static HomeView From(string? search, string? sort, string? status, string? page) => new(
        search?.Trim() ?? string.Empty,
        SortOptions.Any(o => o.Key == sort) ? sort! : Default.Sort,
        StatusOptions.Any(o => o.Key == status) ? status! : Default.Status,
        Pager.Parse(page));

    /// <summary>The address of this view at <paramref name="page"/>, naming only what differs from the default.</summary>
    public string Href(int page)
    {
        var query = new List<string>(4);
        if (Search.Length > 0)
        {
            query.Add("q=" + Uri.EscapeDataString(Search));
        }

        if (Sort != Default.Sort)
        {
            query.Add("sort=" + Sort);
        }

        if (Status != Default.Status)
        {
            query.Add("status=" + Status);
        }

        if (page > 1)
        {
            query.Add("page=" + page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return query.Count == 0 ? "/" : "/?" + string.Join('&', query);
    }

    /// <summary>A new listing belongs first on page <paramref name="shownPage"/> only when that page starts with the newest.</summary>
    public bool NewOnTop(int shownPage) => Order == TicketSort.Newest && shownPage == 1;
}
