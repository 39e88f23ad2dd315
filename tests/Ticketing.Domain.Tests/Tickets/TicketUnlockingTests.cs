using Ticketing.Domain.Tickets;

namespace Ticketing.Domain.Tests.Tickets;

public sealed class TicketUnlockingTests
{
    [Fact]
    public void Unlock_ByHoldingOrder_MakesTicketAvailableAgain()
    {
        var ticket = Given.TicketReservedBy(Given.OrderId);

        var released = ticket.Unlock(Given.OrderId, Given.Later(15));

        Assert.True(released);
        Assert.Equal(TicketStatus.Available, ticket.Status);
        Assert.False(ticket.IsLocked);
        Assert.Null(ticket.OrderId);
        Assert.Null(ticket.ReservedUntil);
        Assert.Equal(Given.Later(15), ticket.UpdatedAt);
        Assert.Equal(2, ticket.Version);
    }

    [Fact]
    public void Unlock_ByHoldingOrder_RaisesTicketUnlockedCarryingTheNewVersion()
    {
        var ticket = Given.TicketReservedBy(Given.OrderId);

        ticket.Unlock(Given.OrderId, Given.Later(15));

        var unlocked = Assert.IsType<TicketUnlocked>(Assert.Single(ticket.DomainEvents));
        Assert.Equal(new TicketUnlocked(Given.TicketId, 2, Given.Later(15), Given.OrderId, ticket.Snapshot()), unlocked);
    }

    [Fact]
    public void Unlock_ByAnotherOrder_ChangesNothing()
    {
        var ticket = Given.TicketReservedBy(Given.OrderId);
        var updatedBefore = ticket.UpdatedAt;

        var released = ticket.Unlock(Given.OtherOrderId, Given.Later(15));

        Assert.False(released);
        Assert.Equal(TicketStatus.Reserved, ticket.Status);
        Assert.Equal(Given.OrderId, ticket.OrderId);
        Assert.Equal(Given.Now + Given.ReservationWindow, ticket.ReservedUntil);
        Assert.Equal(updatedBefore, ticket.UpdatedAt);
        Assert.Equal(1, ticket.Version);
        Assert.Empty(ticket.DomainEvents);
    }

    [Fact]
    public void Unlock_WhenAvailable_ChangesNothing()
    {
        var ticket = Given.AvailableTicket();

        var released = ticket.Unlock(Given.OrderId, Given.Later(15));

        Assert.False(released);
        Assert.Equal(TicketStatus.Available, ticket.Status);
        Assert.Equal(0, ticket.Version);
        Assert.Empty(ticket.DomainEvents);
    }

    [Fact]
    public void Unlock_WhenSoldToThatOrder_KeepsTheTicketSold()
    {
        var ticket = Given.TicketSoldTo(Given.OrderId);
        var versionBefore = ticket.Version;

        var released = ticket.Unlock(Given.OrderId, Given.Later(15));

        Assert.False(released);
        Assert.Equal(TicketStatus.Sold, ticket.Status);
        Assert.Equal(Given.OrderId, ticket.OrderId);
        Assert.Equal(versionBefore, ticket.Version);
        Assert.Empty(ticket.DomainEvents);
    }

    [Fact]
    public void Unlock_Redelivered_ReleasesOnlyOnce()
    {
        var ticket = Given.TicketReservedBy(Given.OrderId);

        var first = ticket.Unlock(Given.OrderId, Given.Later(15));
        var second = ticket.Unlock(Given.OrderId, Given.Later(16));

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(2, ticket.Version);
        Assert.Single(ticket.DomainEvents);
    }
}
