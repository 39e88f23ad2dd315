namespace Ticketing.Infrastructure.Tickets;

/// <summary>The orders a list of listings can be read in.</summary>
public enum TicketSort
{
    Newest,
    PriceAscending,
    PriceDescending,

    /// <summary>Soonest event first; listings without a date last.</summary>
    EventDate,
}

/// <summary>
/// Which listings a list shows: a search on title or venue, one status, one seller. Applied in
/// SQL by <see cref="TicketListings"/>, and in memory by <see cref="Matches"/> to decide whether a
/// listing pushed live belongs in a list already on screen.
/// </summary>
public sealed record TicketFilter(string? Search = null, TicketStatus? Status = null, Guid? SellerId = null)
{
    /// <summary>No title or venue is longer, so a longer search matches nothing and is not even run.</summary>
    public static readonly int MaxSearchLength = Math.Max(TicketDetails.MaxTitleLength, TicketDetails.MaxVenueLength);

    /// <summary>The search as typed, trimmed; null when there is none.</summary>
    public string? Term => string.IsNullOrWhiteSpace(Search) ? null : Search.Trim();

    public bool MatchesNothing => Term is { } term && term.Length > MaxSearchLength;

    public bool Matches(TicketSummary ticket) =>
        !MatchesNothing
        && (Status is not { } status || ticket.Status == TicketView.StatusName(status))
        && (SellerId is not { } seller || ticket.SellerId == seller)
        && (Term is not { } term
            || ticket.Title.Contains(term, StringComparison.OrdinalIgnoreCase)
            || (ticket.Venue?.Contains(term, StringComparison.OrdinalIgnoreCase) ?? false));
}
