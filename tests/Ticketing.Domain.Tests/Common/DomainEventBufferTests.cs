namespace Ticketing.Domain.Tests.Common;

public sealed class DomainEventBufferTests
{
    [Fact]
    public void ClearDomainEvents_EmptiesTheBufferButKeepsTheVersion()
    {
        var ticket = Given.AvailableTicket();
        ticket.Edit(Given.Details(price: 60m), Given.Later(1));

        ticket.ClearDomainEvents();

        Assert.Empty(ticket.DomainEvents);
        Assert.Equal(1, ticket.Version);
    }

    [Fact]
    public void DomainEvents_AfterClearing_ContinueFromTheCurrentVersion()
    {
        var ticket = Given.AvailableTicket();
        ticket.Edit(Given.Details(price: 60m), Given.Later(1));
        ticket.ClearDomainEvents();

        ticket.Edit(Given.Details(price: 70m), Given.Later(2));

        Assert.Equal(2, Assert.Single(ticket.DomainEvents).Version);
    }
}
