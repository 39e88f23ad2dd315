using Ticketing.Domain.Common;
using Ticketing.Domain.Tickets;

namespace Ticketing.Domain.Tests.Tickets;

public sealed class TicketVersioningTests
{
    [Fact]
    public void Version_GrowsByExactlyOnePerChange_AndEachEventCarriesIt()
    {
        var ticket = Ticket.List(Given.TicketId, Given.SellerId, Given.Details(), Given.Now);

        ticket.Edit(Given.Details(price: 60m), Given.Later(1));
        ticket.Lock(Given.OrderId, Given.BuyerId, Given.Later(17), Given.Later(2));
        ticket.Unlock(Given.OrderId, Given.Later(17));
        ticket.Lock(Given.OtherOrderId, Given.BuyerId, Given.Later(33), Given.Later(18));
        ticket.MarkSold(Given.OtherOrderId, Given.Later(19));

        Assert.Equal(5, ticket.Version);
        Assert.Equal([0, 1, 2, 3, 4, 5], ticket.DomainEvents.Select(e => e.Version));
        Assert.All(ticket.DomainEvents, e => Assert.Equal(Given.TicketId, e.AggregateId));
        Assert.Equal(
            [typeof(TicketCreated), typeof(TicketUpdated), typeof(TicketLocked), typeof(TicketUnlocked), typeof(TicketLocked), typeof(TicketSold)],
            ticket.DomainEvents.Select(e => e.GetType()));
    }

    [Fact]
    public void Version_DoesNotChange_WhenARuleRefusesTheChange()
    {
        var ticket = Given.TicketReservedBy(Given.OrderId);

        Assert.Throws<BusinessRuleViolationException>(() => ticket.Edit(Given.Details(price: 1m), Given.Later(1)));
        Assert.Throws<BusinessRuleViolationException>(() => ticket.Lock(Given.OtherOrderId, Given.BuyerId, Given.Later(20), Given.Later(1)));
        Assert.Throws<BusinessRuleViolationException>(() => ticket.MarkSold(Given.OtherOrderId, Given.Later(1)));
        Assert.Throws<BusinessRuleViolationException>(() => ticket.Withdraw(Given.Later(1)));

        Assert.Equal(1, ticket.Version);
        Assert.Empty(ticket.DomainEvents);
    }
}
