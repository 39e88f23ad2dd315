using Ticketing.Domain.Common;
using Ticketing.Domain.Tickets;

namespace Ticketing.Domain.Tests.Tickets;

public sealed class TicketWithdrawalTests
{
    [Fact]
    public void Withdraw_WhenAvailable_TakesTheListingOffTheMarket()
    {
        var ticket = Given.AvailableTicket();

        ticket.Withdraw(Given.Later(5));

        Assert.True(ticket.IsWithdrawn);
        Assert.Equal(1, ticket.Version);
        Assert.Equal(Given.Later(5), ticket.UpdatedAt);
        var withdrawn = Assert.IsType<TicketWithdrawn>(Assert.Single(ticket.DomainEvents));
        Assert.Equal(new TicketWithdrawn(Given.TicketId, 1, Given.Later(5), ticket.Snapshot()), withdrawn);
    }

    [Fact]
    public void Withdraw_Twice_RaisesOneEvent()
    {
        var ticket = Given.AvailableTicket();

        ticket.Withdraw(Given.Later(5));
        ticket.Withdraw(Given.Later(6));

        Assert.True(ticket.IsWithdrawn);
        Assert.Equal(1, ticket.Version);
        Assert.Equal(Given.Later(5), ticket.UpdatedAt);
        Assert.Single(ticket.DomainEvents);
    }

    [Fact]
    public void Withdraw_WhenReserved_Fails()
    {
        var ticket = Given.TicketReservedBy(Given.OrderId);

        var ex = Assert.Throws<BusinessRuleViolationException>(() => ticket.Withdraw(Given.Later(5)));

        Assert.Equal("Cannot edit a reserved ticket", ex.Message);
        Assert.False(ticket.IsWithdrawn);
        Assert.Equal(1, ticket.Version);
        Assert.Empty(ticket.DomainEvents);
    }

    [Fact]
    public void Withdraw_WhenSold_Fails()
    {
        var ticket = Given.TicketSoldTo(Given.OrderId);

        var ex = Assert.Throws<BusinessRuleViolationException>(() => ticket.Withdraw(Given.Later(5)));

        Assert.Equal("Cannot edit a reserved ticket", ex.Message);
        Assert.False(ticket.IsWithdrawn);
        Assert.Equal(2, ticket.Version);
        Assert.Empty(ticket.DomainEvents);
    }
}
