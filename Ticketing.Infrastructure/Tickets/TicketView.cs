using Ticketing.Domain.Tickets;

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
    public static TicketView From(Ticket t) => new(
        t.Id, t.Title, t.Price, t.SellerId, t.Version, StatusName(t.Status), t.OrderId,
        t.Status == TicketStatus.Reserved ? t.ReservedUntil : null, t.EventDate, t.Venue, t.Description);

    public static string StatusName(TicketStatus status) => status switch
    {
        TicketStatus.Available => "available",
        TicketStatus.Reserved => "reserved",
        TicketStatus.Sold => "sold",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
