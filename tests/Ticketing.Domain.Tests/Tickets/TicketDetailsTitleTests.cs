using Ticketing.Domain.Common;
using Ticketing.Domain.Tickets;

namespace Ticketing.Domain.Tests.Tickets;

public sealed class TicketDetailsTitleTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(" \t\r\n ")]
    public void Create_WithMissingOrWhitespaceOnlyTitle_FailsOnTitle(string? title)
    {
        var ex = Assert.Throws<BusinessRuleViolationException>(() => TicketDetails.Create(title, 10m));

        Assert.Equal("Title is required", ex.Message);
        Assert.Equal("title", ex.Field);
    }

    [Fact]
    public void Create_TrimsTitle()
    {
        var details = TicketDetails.Create("  Summer Festival \t", 10m);

        Assert.Equal("Summer Festival", details.Title);
    }

    [Fact]
    public void Create_WithTitleOf120Characters_Succeeds()
    {
        var title = new string('a', 120);

        var details = TicketDetails.Create(title, 10m);

        Assert.Equal(title, details.Title);
    }

    [Fact]
    public void Create_WithTitleOf121Characters_FailsOnTitle()
    {
        var ex = Assert.Throws<BusinessRuleViolationException>(() => TicketDetails.Create(new string('a', 121), 10m));

        Assert.Equal("Title must be at most 120 characters", ex.Message);
        Assert.Equal("title", ex.Field);
    }

    [Fact]
    public void Create_WithTitleThatFitsOnceTrimmed_Succeeds()
    {
        var title = new string('a', 120);

        var details = TicketDetails.Create($"   {title}   ", 10m);

        Assert.Equal(title, details.Title);
    }

    [Fact]
    public void Create_WithInvalidTitleAndPrice_ReportsTheTitle()
    {
        var ex = Assert.Throws<BusinessRuleViolationException>(() => TicketDetails.Create("", 0m));

        Assert.Equal("title", ex.Field);
    }
}
