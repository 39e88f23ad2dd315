using Ticketing.Domain.Tickets;

namespace Ticketing.Domain.Tests.Tickets;

/// <summary>A sale undone because its whole payment was refunded.</summary>
public sealed class TicketSaleReturnTests
{
    [Fact]
    public void ReturnSale_OfTheOrderThatBoughtIt_PutsTheTicketBackOnTheMarket()
    {
        var ticket = Given.TicketSoldTo(Given.OrderId);
        var versionBefore = ticket.Version;

        var returned = ticket.ReturnSale(Given.OrderId, Given.Later(30));

        Assert.True(returned);
        Assert.Equal((TicketStatus.Available, (Guid?)null, (DateTimeOffset?)null), (ticket.Status, ticket.OrderId, ticket.ReservedUntil));
        Assert.Equal(versionBefore + 1, ticket.Version);
        var unlocked = Assert.IsType<TicketUnlocked>(Assert.Single(ticket.DomainEvents));
        Assert.Equal((Given.OrderId, versionBefore + 1, TicketStatus.Available), (unlocked.OrderId, unlocked.Version, unlocked.Ticket.Status));
    }

    [Fact]
    public void ReturnSale_OfAnotherOrderOrOfAReservation_ChangesNothing()
    {
        var sold = Given.TicketSoldTo(Given.OrderId);
        var reserved = Given.TicketReservedBy(Given.OrderId);

        Assert.False(sold.ReturnSale(Given.OtherOrderId, Given.Later(30)));
        Assert.False(reserved.ReturnSale(Given.OrderId, Given.Later(30)));

        Assert.Equal(TicketStatus.Sold, sold.Status);
        Assert.Equal(TicketStatus.Reserved, reserved.Status);
        Assert.Empty(sold.DomainEvents);
        Assert.Empty(reserved.DomainEvents);
    }
}
