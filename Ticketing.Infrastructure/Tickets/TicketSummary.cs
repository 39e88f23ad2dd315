namespace Ticketing.Infrastructure.Tickets;

/// <summary>
/// A listing as a card or a row shows it: the <see cref="TicketView"/> without its description or
/// order, which lists never show, so that a page of them stays small in a circuit and in the state
/// carried from the prerendered page into it.
/// </summary>
public sealed record TicketSummary(
    Guid Id,
    string Title,
    decimal Price,
    Guid SellerId,
    int Version,
    string Status,
    DateTimeOffset? ReservedUntil,
    DateTimeOffset? EventDate,
    string? Venue)
{
    public static TicketSummary From(TicketView t) =>
        new(t.Id, t.Title, t.Price, t.UserId, t.Version, t.Status, t.ReservedUntil, t.EventDate, t.Venue);
}

/// <summary>How many of a seller's listings are in each state.</summary>
public sealed record ListingCounts(int Available, int Reserved, int Sold)
{
    public int Total => Available + Reserved + Sold;
}
