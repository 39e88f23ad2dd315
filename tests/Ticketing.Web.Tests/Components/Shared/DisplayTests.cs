using Ticketing.Web.Components.Shared;

namespace Ticketing.Web.Tests.Components.Shared;

public sealed class DisplayTests
{
    [Theory]
    [InlineData(750, "12:30")]
    [InlineData(900, "15:00")]
    [InlineData(59, "0:59")]
    [InlineData(0.2, "0:01")]
    [InlineData(0, "0:00")]
    [InlineData(-5, "0:00")]
    [InlineData(3723, "1:02:03")]
    public void Countdown_WritesMinutesAndSeconds(double seconds, string expected) =>
        Assert.Equal(expected, Display.Countdown(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("85", "$85.00")]
    [InlineData("1234.5", "$1,234.50")]
    [InlineData("1000000", "$1,000,000.00")]
    public void Price_IsUsDollars(string amount, string expected) =>
        Assert.Equal(expected, Display.Price(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));
}
