namespace Ticketing.Domain.Tickets;

public enum TicketStatus
{
    Available,
    Reserved,
    Sold,
}

/// <summary>The wire names of the ticket statuses: what the API, the live feed and the pages compare against.</summary>
public static class TicketStatusNames
{
    public const string Available = "available";
    public const string Reserved = "reserved";
    public const string Sold = "sold";

    public static string ToWire(this TicketStatus status) => status switch
    {
        TicketStatus.Available => Available,
        TicketStatus.Reserved => Reserved,
        TicketStatus.Sold => Sold,
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
