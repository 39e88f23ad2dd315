using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Admin;
using Ticketing.Infrastructure.Tickets;

namespace Ticketing.Web.Components.Pages.Admin;

/// <summary>
/// One row of the admin's listings grid (the grid holds one page of them): the public ticket as of
/// its latest version, with who sells it, and the title and price the inline edit changes. Settable
/// because the grid edits a copy of the row (a JSON round trip) and copies the saved values back,
/// and because live changes update the row in place.
/// </summary>
public sealed class ListingRow
{
    public TicketView Ticket { get; set; } = default!;

    public string? SellerEmail { get; set; }

    public DateTimeOffset ListedAt { get; set; }

    /// <summary>The title being edited; the ticket's own once saved or changed live.</summary>
    public string Title { get; set; } = string.Empty;

    /// <summary>The price being edited (none while its field reads no price); the ticket's own once saved or changed live.</summary>
    public decimal? Price { get; set; }

    public Guid Id => Ticket.Id;

    public string Status => Ticket.Status;

    public int Version => Ticket.Version;

    /// <summary>Reserved or sold: its title and price may not change and it cannot be withdrawn.</summary>
    public bool IsLocked => Status != TicketStatusNames.Available;

    public static ListingRow From(AdminListing listing)
    {
        var row = new ListingRow { SellerEmail = listing.SellerEmail, ListedAt = listing.ListedAt };
        row.Apply(listing.Ticket);
        return row;
    }

    /// <summary>Takes the ticket's state as of its (newer) version.</summary>
    public void Apply(TicketView ticket)
    {
        Ticket = ticket;
        Title = ticket.Title;
        Price = ticket.Price;
    }

    /// <summary>What the edit sends: the edited title and price, with the other details unchanged.</summary>
    public TicketInput ToInput() => new(Title, Price ?? 0m, Ticket.EventDate, Ticket.Venue, Ticket.Description);
}
