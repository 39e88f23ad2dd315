using Ticketing.Domain.Common;

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

    private static readonly WireNames<TicketStatus> Names = new(typeof(TicketStatusNames));

    public static string ToWire(this TicketStatus status) => Names.Of(status);
}
