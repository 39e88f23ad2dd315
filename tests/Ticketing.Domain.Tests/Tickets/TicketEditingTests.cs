using Ticketing.Domain.Common;
using Ticketing.Domain.Tickets;

namespace Ticketing.Domain.Tests.Tickets;

public sealed class TicketEditingTests
{
    [Fact]
    public void Edit_WithNewDetails_AppliesThemAndBumpsVersionByOne()
    {
        var ticket = Given.AvailableTicket();
        var eventDate = new DateTimeOffset(2030, 8, 1, 19, 0, 0, TimeSpan.Zero);

        ticket.Edit(TicketDetails.Create("Winter Festival", 60m, eventDate, "Hall", "Balcony"), Given.Later(5));

        Assert.Equal(1, ticket.Version);
        Assert.Equal("Winter Festival", ticket.Title);
        Assert.Equal(60m, ticket.Price);
        Assert.Equal(eventDate, ticket.EventDate);
        Assert.Equal("Hall", ticket.Venue);
        Assert.Equal("Balcony", ticket.Description);
        Assert.Equal(Given.Later(5), ticket.UpdatedAt);
        Assert.Equal(Given.Now, ticket.CreatedAt);
    }

    [Fact]
    public void Edit_RaisesTicketUpdatedCarryingTheNewVersion()
    {
        var ticket = Given.AvailableTicket();

        ticket.Edit(Given.Details("Winter Festival", 60m), Given.Later(5));

        var updated = Assert.IsType<TicketUpdated>(Assert.Single(ticket.DomainEvents));
        Assert.Equal(new TicketUpdated(Given.TicketId, 1, Given.Later(5), "Winter Festival", 60m, ticket.Snapshot()), updated);
    }

    [Fact]
    public void Edit_Twice_BumpsVersionOncePerEdit()
    {
        var ticket = Given.AvailableTicket();

        ticket.Edit(Given.Details(price: 60m), Given.Later(1));
        ticket.Edit(Given.Details(price: 70m), Given.Later(2));

        Assert.Equal(2, ticket.Version);
        Assert.Equal([1, 2], ticket.DomainEvents.Select(e => e.Version));
    }

    [Fact]
    public void Edit_WithTheValuesTheListingHas_StillCountsAsAnEdit()
    {
        var ticket = Given.AvailableTicket();

        ticket.Edit(Given.Details(), Given.Later(5));

        var updated = Assert.IsType<TicketUpdated>(Assert.Single(ticket.DomainEvents));
        Assert.Equal(1, updated.Version);
        Assert.Equal(1, ticket.Version);
        Assert.Equal(Given.Later(5), ticket.UpdatedAt);
    }

    [Fact]
    public void Edit_WhenOnlyTheVenueChanged_CountsAsAChange()
    {
        var ticket = Given.AvailableTicket();

        ticket.Edit(TicketDetails.Create("Summer Festival", 50m, venue: "Hyde Park"), Given.Later(5));

        Assert.Equal(1, ticket.Version);
        Assert.Equal("Hyde Park", ticket.Venue);
        Assert.IsType<TicketUpdated>(Assert.Single(ticket.DomainEvents));
    }

    [Fact]
    public void Edit_KeepsTheEventDateAsTheSameInstant_InUtc()
    {
        var eventDate = new DateTimeOffset(2030, 8, 1, 19, 0, 0, TimeSpan.Zero);
        var ticket = Ticket.List(Given.TicketId, Given.SellerId, TicketDetails.Create("Concert", 10m, eventDate), Given.Now);

        ticket.Edit(TicketDetails.Create("Concert", 10m, eventDate.ToOffset(TimeSpan.FromHours(3))), Given.Later(5));

        Assert.Equal(eventDate, ticket.EventDate);
        Assert.Equal(TimeSpan.Zero, ticket.EventDate!.Value.Offset);
    }

    [Fact]
    public void Edit_WhenTicketReserved_Fails()
    {
        var ticket = Given.TicketReservedBy(Given.OrderId);
        var versionBefore = ticket.Version;

        var ex = Assert.Throws<BusinessRuleViolationException>(() => ticket.Edit(Given.Details(price: 1m), Given.Later(5)));

        Assert.Equal("Cannot edit a reserved ticket", ex.Message);
        Assert.Null(ex.Field);
        Assert.Equal(50m, ticket.Price);
        Assert.Equal(versionBefore, ticket.Version);
        Assert.Empty(ticket.DomainEvents);
    }

    [Fact]
    public void Edit_WhenTicketSold_Fails()
    {
        var ticket = Given.TicketSoldTo(Given.OrderId);
        var versionBefore = ticket.Version;

        var ex = Assert.Throws<BusinessRuleViolationException>(() => ticket.Edit(Given.Details(price: 1m), Given.Later(5)));

        Assert.Equal("Cannot edit a reserved ticket", ex.Message);
        Assert.Equal(50m, ticket.Price);
        Assert.Equal(versionBefore, ticket.Version);
        Assert.Empty(ticket.DomainEvents);
    }

    [Fact]
    public void Edit_WhenTicketReservedAndNothingChanged_StillFails()
    {
        var ticket = Given.TicketReservedBy(Given.OrderId);

        var ex = Assert.Throws<BusinessRuleViolationException>(() => ticket.Edit(Given.Details(), Given.Later(5)));

        Assert.Equal("Cannot edit a reserved ticket", ex.Message);
    }

    [Fact]
    public void Edit_AfterTheReservationWasReleased_Succeeds()
    {
        var ticket = Given.TicketReservedBy(Given.OrderId);
        ticket.Unlock(Given.OrderId, Given.Later(15));
        ticket.ClearDomainEvents();

        ticket.Edit(Given.Details(price: 40m), Given.Later(20));

        Assert.Equal(40m, ticket.Price);
        Assert.Equal(3, ticket.Version);
    }
}
