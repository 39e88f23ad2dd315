namespace Ticketing.Infrastructure.Tickets;

/// <summary>The public shape of a ticket, as the API and the live channel send it.</summary>
public sealed record TicketView(
    Guid Id,
    string Title,
    decimal Price,
    Guid UserId,
    int Version,
    string Status,
    Guid? OrderId,
    DateTimeOffset? ReservedUntil,
    DateTimeOffset? EventDate,
    string? Venue,
    string? Description)
{
    public static TicketView From(Ticket t) => From(t.Id, t.Version, t.Snapshot());

    /// <summary>The ticket as one of its events saw it.</summary>
    public static TicketView From(ITicketEvent e) => From(e.AggregateId, e.Version, e.Ticket);

    /// <summary>The ticket as a snapshot of one version shows it (a query's projection, an event's payload).</summary>
    public static TicketView From(Guid id, int version, TicketSnapshot s) => new(
        id, s.Title, s.Price, s.SellerId, version, StatusName(s.Status), s.OrderId,
        s.Status == TicketStatus.Reserved ? s.ReservedUntil : null, s.EventDate, s.Venue, s.Description);

    public static string StatusName(TicketStatus status) => status.ToWire();
}
