using Ticketing.Domain.Common;
using Ticketing.Domain.Tickets;

namespace Ticketing.Domain.Tests.Tickets;

public sealed class TicketLockingTests
{
    private static readonly DateTimeOffset ReservedUntil = Given.Now + Given.ReservationWindow;

    [Fact]
    public void Lock_WhenAvailable_ReservesTicketForTheOrder()
    {
        var ticket = Given.AvailableTicket();

        ticket.Lock(Given.OrderId, Given.BuyerId, ReservedUntil, Given.Later(1));

        Assert.Equal(TicketStatus.Reserved, ticket.Status);
        Assert.True(ticket.IsLocked);
        Assert.Equal(Given.OrderId, ticket.OrderId);
        Assert.Equal(ReservedUntil, ticket.ReservedUntil);
        Assert.Equal(Given.Later(1), ticket.UpdatedAt);
        Assert.Equal(1, ticket.Version);
    }

    [Fact]
    public void Lock_RaisesTicketLockedCarryingTheNewVersion()
    {
        var ticket = Given.AvailableTicket();

        ticket.Lock(Given.OrderId, Given.BuyerId, ReservedUntil, Given.Later(1));

        var locked = Assert.IsType<TicketLocked>(Assert.Single(ticket.DomainEvents));
        Assert.Equal(new TicketLocked(Given.TicketId, 1, Given.Later(1), Given.OrderId, ReservedUntil, ticket.Snapshot()), locked);
    }

    [Fact]
    public void Lock_WhenTicketAlreadyReserved_Fails()
    {
        var ticket = Given.TicketReservedBy(Given.OrderId);
        var versionBefore = ticket.Version;
        var otherBuyer = Guid.Parse("77777777-7777-7777-7777-777777777777");

        var ex = Assert.Throws<BusinessRuleViolationException>(
            () => ticket.Lock(Given.OtherOrderId, otherBuyer, Given.Later(20), Given.Later(5)));

        Assert.Equal("Ticket is already reserved", ex.Message);
        Assert.Null(ex.Field);
        Assert.Equal(Given.OrderId, ticket.OrderId);
        Assert.Equal(ReservedUntil, ticket.ReservedUntil);
        Assert.Equal(versionBefore, ticket.Version);
        Assert.Empty(ticket.DomainEvents);
    }

    [Fact]
    public void Lock_WhenTicketReservedBySameOrder_Fails()
    {
        var ticket = Given.TicketReservedBy(Given.OrderId);

        var ex = Assert.Throws<BusinessRuleViolationException>(
            () => ticket.Lock(Given.OrderId, Given.BuyerId, ReservedUntil, Given.Later(1)));

        Assert.Equal("Ticket is already reserved", ex.Message);
    }

    [Fact]
    public void Lock_WhenTicketSold_Fails()
    {
        var ticket = Given.TicketSoldTo(Given.OrderId);
        var versionBefore = ticket.Version;

        var ex = Assert.Throws<BusinessRuleViolationException>(
            () => ticket.Lock(Given.OtherOrderId, Given.BuyerId, Given.Later(20), Given.Later(5)));

        Assert.Equal("Ticket is already reserved", ex.Message);
        Assert.Equal(TicketStatus.Sold, ticket.Status);
        Assert.Equal(Given.OrderId, ticket.OrderId);
        Assert.Equal(versionBefore, ticket.Version);
        Assert.Empty(ticket.DomainEvents);
    }

    [Fact]
    public void Lock_BySeller_Fails()
    {
        var ticket = Given.AvailableTicket();

        var ex = Assert.Throws<BusinessRuleViolationException>(
            () => ticket.Lock(Given.OrderId, Given.SellerId, ReservedUntil, Given.Later(1)));

        Assert.Equal("You cannot buy your own ticket", ex.Message);
        Assert.Null(ex.Field);
        Assert.Equal(TicketStatus.Available, ticket.Status);
        Assert.Null(ticket.OrderId);
        Assert.Null(ticket.ReservedUntil);
        Assert.Equal(0, ticket.Version);
        Assert.Empty(ticket.DomainEvents);
    }

    [Fact]
    public void Lock_AfterThePreviousHoldWasReleased_ReservesForTheNewOrder()
    {
        var ticket = Given.TicketReservedBy(Given.OrderId);
        ticket.Unlock(Given.OrderId, Given.Later(15));
        ticket.ClearDomainEvents();

        ticket.Lock(Given.OtherOrderId, Given.BuyerId, Given.Later(31), Given.Later(16));

        Assert.Equal(TicketStatus.Reserved, ticket.Status);
        Assert.Equal(Given.OtherOrderId, ticket.OrderId);
        Assert.Equal(Given.Later(31), ticket.ReservedUntil);
        var locked = Assert.IsType<TicketLocked>(Assert.Single(ticket.DomainEvents));
        Assert.Equal(3, locked.Version);
    }
}
