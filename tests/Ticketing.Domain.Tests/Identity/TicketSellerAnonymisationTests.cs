using Ticketing.Domain.Common;
using Ticketing.Domain.Identity;
using Ticketing.Domain.Tickets;

namespace Ticketing.Domain.Tests.Identity;

/// <summary>A deleted seller's listings stay as records of the deleted account, without the seller's own words.</summary>
public sealed class TicketSellerAnonymisationTests
{
    [Fact]
    public void AnonymiseSeller_OfASoldTicket_KeepsTheSale_AndDropsTheDescription()
    {
        var ticket = Ticket.List(Given.TicketId, Given.SellerId, TicketDetails.Create("Summer Festival", 50m, Given.Later(600), "Main Stage", "Call me on 555-0100"), Given.Now);
        ticket.Lock(Given.OrderId, Given.BuyerId, Given.Now + Given.ReservationWindow, Given.Now);
        ticket.MarkSold(Given.OrderId, Given.Later(1));
        ticket.ClearDomainEvents();

        Assert.True(ticket.AnonymiseSeller(Given.Later(5)));

        Assert.Equal((DeletedAccount.Id, TicketStatus.Sold, (Guid?)Given.OrderId, (string?)null), (ticket.SellerId, ticket.Status, ticket.OrderId, ticket.Description));
        Assert.Equal(("Summer Festival", 50m, "Main Stage"), (ticket.Title, ticket.Price, ticket.Venue));
        var anonymised = Assert.IsType<TicketSellerAnonymised>(Assert.Single(ticket.DomainEvents));
        Assert.Equal(new TicketSellerAnonymised(Given.TicketId, 3, Given.Later(5), ticket.Snapshot()), anonymised);
    }

    [Fact]
    public void AnonymiseSeller_Twice_RaisesOneEvent()
    {
        var ticket = Given.AvailableTicket();

        ticket.AnonymiseSeller(Given.Later(1));
        var again = ticket.AnonymiseSeller(Given.Later(2));

        Assert.False(again);
        Assert.Equal(1, ticket.Version);
        Assert.Single(ticket.DomainEvents);
    }

    [Fact]
    public void AnonymiseSeller_WhileABuyerHoldsTheTicket_Fails()
    {
        var ticket = Given.TicketReservedBy(Given.OrderId);

        var refused = Assert.Throws<BusinessRuleViolationException>(() => ticket.AnonymiseSeller(Given.Later(1)));

        Assert.IsType<AccountMustHaveNoReservedListingRule>(refused.Rule);
        Assert.Equal(Given.SellerId, ticket.SellerId);
        Assert.Empty(ticket.DomainEvents);
    }
}
