using Ticketing.Domain.Tickets;

namespace Ticketing.Domain.Tests.Tickets;

public sealed class TicketListingTests
{
    private static readonly DateTimeOffset EventDate = new(2030, 8, 1, 19, 0, 0, TimeSpan.Zero);

    [Fact]
    public void List_RaisesTicketCreatedWithVersionZero()
    {
        var ticket = Ticket.List(Given.TicketId, Given.SellerId, TicketDetails.Create("Summer Festival", 45.5m), Given.Now);

        var created = Assert.IsType<TicketCreated>(Assert.Single(ticket.DomainEvents));
        Assert.Equal(new TicketCreated(Given.TicketId, 0, Given.Now, Given.SellerId, "Summer Festival", 45.5m, ticket.Snapshot()), created);
    }

    [Fact]
    public void List_StartsAtVersionZero_AvailableAndUnlocked()
    {
        var ticket = Ticket.List(Given.TicketId, Given.SellerId, Given.Details(), Given.Now);

        Assert.Equal(0, ticket.Version);
        Assert.Equal(TicketStatus.Available, ticket.Status);
        Assert.False(ticket.IsLocked);
        Assert.False(ticket.IsWithdrawn);
        Assert.Null(ticket.OrderId);
        Assert.Null(ticket.ReservedUntil);
        Assert.Equal(Given.Now, ticket.CreatedAt);
        Assert.Equal(Given.Now, ticket.UpdatedAt);
    }

    [Fact]
    public void List_KeepsTheSellerAndEveryDetail()
    {
        var details = TicketDetails.Create("Summer Festival", 45.5m, EventDate, "Hyde Park", "Weekend pass");

        var ticket = Ticket.List(Given.TicketId, Given.SellerId, details, Given.Now);

        Assert.Equal(Given.TicketId, ticket.Id);
        Assert.Equal(Given.SellerId, ticket.SellerId);
        Assert.Equal("Summer Festival", ticket.Title);
        Assert.Equal(45.5m, ticket.Price);
        Assert.Equal(EventDate, ticket.EventDate);
        Assert.Equal("Hyde Park", ticket.Venue);
        Assert.Equal("Weekend pass", ticket.Description);
    }
}
