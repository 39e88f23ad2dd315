namespace Ticketing.Domain.Tickets;

public enum TicketStatus
{
    Available,
    Reserved,
    Sold,
}
