using Ticketing.Infrastructure.Admin;
using Ticketing.Infrastructure.Tickets;

namespace Ticketing.Web.Components.Pages.Admin;

/// <summary>
/// One row of the admin's listings grid (the grid holds one page of them). Mutable because the grid
/// edits a copy of the row inline and copies the saved values back, and because live changes update
/// the row in place.
/// </summary>
public sealed class ListingRow
{
    public Guid Id { get; set; }

    public string Title { get; set; } = string.Empty;

    public decimal Price { get; set; }

    public string Status { get; set; } = "available";

    public Guid SellerId { get; set; }

    public string? SellerEmail { get; set; }

    public Guid? OrderId { get; set; }

    public DateTimeOffset? ReservedUntil { get; set; }

    public DateTimeOffset? EventDate { get; set; }

    public string? Venue { get; set; }

    public string? Description { get; set; }

    public int Version { get; set; }

    public DateTimeOffset ListedAt { get; set; }

    /// <summary>Reserved or sold: its title and price may not change and it cannot be withdrawn.</summary>
    public bool IsLocked => Status != "available";

    public static ListingRow From(AdminListing listing)
    {
        var row = new ListingRow { SellerEmail = listing.SellerEmail, ListedAt = listing.ListedAt };
        row.Apply(listing.Ticket);
        return row;
    }

    /// <summary>Takes the ticket's state as of its (newer) version.</summary>
    public void Apply(TicketView ticket)
    {
        Id = ticket.Id;
        Title = ticket.Title;
        Price = ticket.Price;
        Status = ticket.Status;
        SellerId = ticket.UserId;
        OrderId = ticket.OrderId;
        ReservedUntil = ticket.ReservedUntil;
        EventDate = ticket.EventDate;
        Venue = ticket.Venue;
        Description = ticket.Description;
        Version = ticket.Version;
    }

    /// <summary>The row as the public ticket, for the shared status chip.</summary>
    public TicketView ToTicket() => new(Id, Title, Price, SellerId, Version, Status, OrderId, ReservedUntil, EventDate, Venue, Description);

    /// <summary>What the edit sends: the edited title and price, with the other details unchanged.</summary>
    public TicketInput ToInput() => new(Title, Price, EventDate, Venue, Description);
}
