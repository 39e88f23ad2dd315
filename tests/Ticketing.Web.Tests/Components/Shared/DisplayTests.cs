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
    [InlineData("85", "usd", "$85.00")]
    [InlineData("1234.5", "usd", "$1,234.50")]
    [InlineData("1000000", "usd", "$1,000,000.00")]
    [InlineData("85", "eur", "€85.00")]
    [InlineData("85", "EUR", "€85.00")]
    [InlineData("1234.5", "gbp", "£1,234.50")]
    [InlineData("1234.5", "chf", "1,234.50 CHF")]
    public void Price_IsInTheShopsCurrency(string amount, string currency, string expected) =>
        Assert.Equal(expected, Display.Price(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency));
}
