using Ticketing.Domain.Common;
using Ticketing.Domain.Tickets;

namespace Ticketing.Domain.Tests.Tickets;

public sealed class TicketDetailsOptionalFieldsTests
{
    [Fact]
    public void Create_WithoutOptionalFields_LeavesThemNull()
    {
        var details = TicketDetails.Create("Concert", 10m);

        Assert.Null(details.EventDate);
        Assert.Null(details.Venue);
        Assert.Null(details.Description);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void Create_WithBlankVenueOrDescription_StoresNull(string? blank)
    {
        var details = TicketDetails.Create("Concert", 10m, venue: blank, description: blank);

        Assert.Null(details.Venue);
        Assert.Null(details.Description);
    }

    [Fact]
    public void Create_TrimsVenueAndDescription()
    {
        var details = TicketDetails.Create("Concert", 10m, venue: "  Royal Albert Hall ", description: "\tRow F, seat 12  ");

        Assert.Equal("Royal Albert Hall", details.Venue);
        Assert.Equal("Row F, seat 12", details.Description);
    }

    [Fact]
    public void Create_WithVenueOf120Characters_Succeeds()
    {
        var venue = new string('v', 120);

        var details = TicketDetails.Create("Concert", 10m, venue: venue);

        Assert.Equal(venue, details.Venue);
    }

    [Fact]
    public void Create_WithVenueOf121Characters_FailsOnVenue()
    {
        var ex = Assert.Throws<BusinessRuleViolationException>(() => TicketDetails.Create("Concert", 10m, venue: new string('v', 121)));

        Assert.Equal("Venue must be at most 120 characters", ex.Message);
        Assert.Equal("venue", ex.Field);
    }

    [Fact]
    public void Create_WithDescriptionOf2000Characters_Succeeds()
    {
        var description = new string('d', 2000);

        var details = TicketDetails.Create("Concert", 10m, description: description);

        Assert.Equal(description, details.Description);
    }

    [Fact]
    public void Create_WithDescriptionOf2001Characters_FailsOnDescription()
    {
        var ex = Assert.Throws<BusinessRuleViolationException>(() => TicketDetails.Create("Concert", 10m, description: new string('d', 2001)));

        Assert.Equal("Description must be at most 2000 characters", ex.Message);
        Assert.Equal("description", ex.Field);
    }

    [Fact]
    public void Create_WithEventDateInAnotherOffset_NormalisesItToUtc()
    {
        var inParis = new DateTimeOffset(2030, 7, 14, 21, 30, 0, TimeSpan.FromHours(2));

        var details = TicketDetails.Create("Concert", 10m, eventDate: inParis);

        Assert.NotNull(details.EventDate);
        Assert.Equal(TimeSpan.Zero, details.EventDate.Value.Offset);
        Assert.Equal(new DateTime(2030, 7, 14, 19, 30, 0), details.EventDate.Value.DateTime);
    }

    [Fact]
    public void Create_WithEventDateInUtc_KeepsIt()
    {
        var eventDate = new DateTimeOffset(2030, 7, 14, 19, 30, 0, TimeSpan.Zero);

        var details = TicketDetails.Create("Concert", 10m, eventDate: eventDate);

        Assert.Equal(eventDate, details.EventDate);
        Assert.Equal(TimeSpan.Zero, details.EventDate!.Value.Offset);
    }

    [Fact]
    public void Create_WithSameInput_GivesEqualDetails()
    {
        var eventDate = new DateTimeOffset(2030, 7, 14, 19, 30, 0, TimeSpan.Zero);

        var first = TicketDetails.Create("Concert", 10m, eventDate, "Hall", "Front row");
        var second = TicketDetails.Create(" Concert ", 10.00m, eventDate.ToOffset(TimeSpan.FromHours(-5)), "Hall ", " Front row");

        Assert.Equal(first, second);
    }
}
