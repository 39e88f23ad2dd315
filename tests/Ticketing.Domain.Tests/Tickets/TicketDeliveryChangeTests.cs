using Ticketing.Domain.Common;
using Ticketing.Domain.Tickets;
using Ticketing.Domain.Tickets.Rules;

namespace Ticketing.Domain.Tests.Tickets;

public sealed class TicketDeliveryChangeTests
{
    [Fact]
    public void ChangeDelivery_OnAnAvailableTicket_BumpsVersionAndRaisesTicketUpdated()
    {
        var ticket = Given.AvailableTicket();

        ticket.ChangeDelivery(TicketDeliveryChange.FileAttached, Given.Later(3));

        Assert.Equal(1, ticket.Version);
        Assert.Equal(Given.Later(3), ticket.UpdatedAt);
        var updated = Assert.IsType<TicketUpdated>(Assert.Single(ticket.DomainEvents));
        Assert.Equal(new TicketUpdated(Given.TicketId, 1, Given.Later(3), ticket.Title, ticket.Price, ticket.Snapshot(), TicketDeliveryChange.FileAttached), updated);
    }

    [Fact]
    public void ChangeDelivery_WhileReserved_IsRefusedLikeAnEdit()
    {
        var ticket = Given.TicketReservedBy(Given.OrderId);
        var version = ticket.Version;

        var refused = Assert.Throws<BusinessRuleViolationException>(() => ticket.ChangeDelivery(TicketDeliveryChange.FileAttached, Given.Later(3)));

        Assert.IsType<TicketMustNotBeLockedRule>(refused.Rule);
        Assert.Equal(version, ticket.Version);
    }

    [Fact]
    public void ChangeDelivery_OnceSold_IsRefused()
    {
        var ticket = Given.TicketSoldTo(Given.OrderId);

        Assert.Throws<BusinessRuleViolationException>(() => ticket.ChangeDelivery(TicketDeliveryChange.FileAttached, Given.Later(3)));
    }
}
