using Ticketing.Domain.Common;
using Ticketing.Domain.Tickets;

namespace Ticketing.Domain.Tests.Tickets;

public sealed class TicketSaleTests
{
    [Fact]
    public void MarkSold_ByHoldingOrder_SellsTheTicket()
    {
        var ticket = Given.TicketReservedBy(Given.OrderId);

        var sold = ticket.MarkSold(Given.OrderId, Given.Later(3));

        Assert.True(sold);
        Assert.Equal(TicketStatus.Sold, ticket.Status);
        Assert.True(ticket.IsLocked);
        Assert.Equal(Given.OrderId, ticket.OrderId);
        Assert.Null(ticket.ReservedUntil);
        Assert.Equal(Given.Later(3), ticket.UpdatedAt);
        Assert.Equal(2, ticket.Version);
    }

    [Fact]
    public void MarkSold_RaisesTicketSoldCarryingTheNewVersion()
    {
        var ticket = Given.TicketReservedBy(Given.OrderId);

        ticket.MarkSold(Given.OrderId, Given.Later(3));

        var soldEvent = Assert.IsType<TicketSold>(Assert.Single(ticket.DomainEvents));
        Assert.Equal(new TicketSold(Given.TicketId, 2, Given.Later(3), Given.OrderId, ticket.Snapshot()), soldEvent);
    }

    [Fact]
    public void MarkSold_WhenAvailable_SellsToTheLatePayingOrder()
    {
        var ticket = Given.TicketReservedBy(Given.OrderId);
        ticket.Unlock(Given.OrderId, Given.Later(15));
        ticket.ClearDomainEvents();

        var sold = ticket.MarkSold(Given.OrderId, Given.Later(17));

        Assert.True(sold);
        Assert.Equal(TicketStatus.Sold, ticket.Status);
        Assert.Equal(Given.OrderId, ticket.OrderId);
        Assert.Null(ticket.ReservedUntil);
        var soldEvent = Assert.IsType<TicketSold>(Assert.Single(ticket.DomainEvents));
        Assert.Equal(3, soldEvent.Version);
    }

    [Fact]
    public void MarkSold_WhenHeldByAnotherOrder_Fails()
    {
        var ticket = Given.TicketReservedBy(Given.OtherOrderId);
        var versionBefore = ticket.Version;

        var ex = Assert.Throws<BusinessRuleViolationException>(() => ticket.MarkSold(Given.OrderId, Given.Later(17)));

        Assert.Equal("Ticket is no longer available", ex.Message);
        Assert.Null(ex.Field);
        Assert.Equal(TicketStatus.Reserved, ticket.Status);
        Assert.Equal(Given.OtherOrderId, ticket.OrderId);
        Assert.Equal(Given.Now + Given.ReservationWindow, ticket.ReservedUntil);
        Assert.Equal(versionBefore, ticket.Version);
        Assert.Empty(ticket.DomainEvents);
    }

    [Fact]
    public void MarkSold_WhenSoldToAnotherOrder_Fails()
    {
        var ticket = Given.TicketSoldTo(Given.OtherOrderId);
        var versionBefore = ticket.Version;

        var ex = Assert.Throws<BusinessRuleViolationException>(() => ticket.MarkSold(Given.OrderId, Given.Later(17)));

        Assert.Equal("Ticket is no longer available", ex.Message);
        Assert.Equal(Given.OtherOrderId, ticket.OrderId);
        Assert.Equal(versionBefore, ticket.Version);
        Assert.Empty(ticket.DomainEvents);
    }

    [Fact]
    public void MarkSold_TwiceForTheSameOrder_IsIdempotent()
    {
        var ticket = Given.TicketSoldTo(Given.OrderId);
        var updatedBefore = ticket.UpdatedAt;

        var sold = ticket.MarkSold(Given.OrderId, Given.Later(10));

        Assert.False(sold);
        Assert.Equal(TicketStatus.Sold, ticket.Status);
        Assert.Equal(2, ticket.Version);
        Assert.Equal(updatedBefore, ticket.UpdatedAt);
        Assert.Empty(ticket.DomainEvents);
    }
}
