using Ticketing.Domain.Tickets;

namespace Ticketing.Domain.Tests.Tickets;

/// <summary>A sale undone because its order was refunded: the ticket is relisted or withdrawn.</summary>
public sealed class TicketSaleReturnTests
{
    [Fact]
    public void ReturnSale_Relisted_PutsTheTicketBackOnTheMarket()
    {
        var ticket = Given.TicketSoldTo(Given.OrderId);
        var versionBefore = ticket.Version;

        var returned = ticket.ReturnSale(Given.OrderId, relist: true, Given.Later(30));

        Assert.True(returned);
        Assert.Equal((TicketStatus.Available, (Guid?)null, (DateTimeOffset?)null), (ticket.Status, ticket.OrderId, ticket.ReservedUntil));
        Assert.Equal(versionBefore + 1, ticket.Version);
        var unlocked = Assert.IsType<TicketUnlocked>(Assert.Single(ticket.DomainEvents));
        Assert.Equal((Given.OrderId, versionBefore + 1, TicketStatus.Available), (unlocked.OrderId, unlocked.Version, unlocked.Ticket.Status));
        Assert.False(ticket.IsWithdrawn);
    }

    [Fact]
    public void ReturnSale_Withdrawn_TakesTheTicketOffTheMarket()
    {
        var ticket = Given.TicketSoldTo(Given.OrderId);
        var versionBefore = ticket.Version;

        Assert.True(ticket.ReturnSale(Given.OrderId, relist: false, Given.Later(30)));

        Assert.Equal((TicketStatus.Available, (Guid?)null, true), (ticket.Status, ticket.OrderId, ticket.IsWithdrawn));
        var withdrawn = Assert.IsType<TicketWithdrawn>(Assert.Single(ticket.DomainEvents));
        Assert.Equal((versionBefore + 1, true), (withdrawn.Version, withdrawn.Ticket.IsWithdrawn));
        Assert.Throws<Ticketing.Domain.Common.BusinessRuleViolationException>(() => ticket.Lock(Given.OtherOrderId, Given.BuyerId, Given.Later(60), Given.Later(31)));
    }

    [Fact]
    public void ReturnSale_OfAnotherOrderOrOfAReservation_ChangesNothing()
    {
        var sold = Given.TicketSoldTo(Given.OrderId);
        var reserved = Given.TicketReservedBy(Given.OrderId);

        Assert.False(sold.ReturnSale(Given.OtherOrderId, relist: true, Given.Later(30)));
        Assert.False(reserved.ReturnSale(Given.OrderId, relist: false, Given.Later(30)));

        Assert.Equal(TicketStatus.Sold, sold.Status);
        Assert.Equal(TicketStatus.Reserved, reserved.Status);
        Assert.Empty(sold.DomainEvents);
        Assert.Empty(reserved.DomainEvents);
    }
}
