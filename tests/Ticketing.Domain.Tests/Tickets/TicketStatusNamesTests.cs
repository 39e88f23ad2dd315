using Ticketing.Domain.Tickets;

namespace Ticketing.Domain.Tests.Tickets;

public sealed class TicketStatusNamesTests
{
    [Theory]
    [InlineData(TicketStatus.Available, "available")]
    [InlineData(TicketStatus.Reserved, "reserved")]
    [InlineData(TicketStatus.Sold, "sold")]
    public void ToWire_GivesTheOriginalServicesName(TicketStatus status, string expected)
    {
        Assert.Equal(expected, status.ToWire());
    }

    [Fact]
    public void ToWire_WithUndefinedStatus_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((TicketStatus)99).ToWire());
    }
}
