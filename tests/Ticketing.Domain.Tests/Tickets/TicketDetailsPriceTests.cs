using Ticketing.Domain.Common;
using Ticketing.Domain.Tickets;

namespace Ticketing.Domain.Tests.Tickets;

public sealed class TicketDetailsPriceTests
{
    private const string PriceMessage = "Price must be greater than 0, at most 1,000,000, with at most 2 decimals";

    public static TheoryData<decimal> NonPositivePrices => new() { 0m, -0.01m, -10m };

    public static TheoryData<decimal> PricesAboveTheMaximum => new() { 1_000_000.01m, 1_000_001m, 50_000_000m };

    public static TheoryData<decimal> PricesWithMoreThanTwoDecimals => new() { 10.999m, 10.001m, 0.001m, 10.505m };

    public static TheoryData<decimal> ValidPrices => new() { 0.01m, 10m, 10.5m, 10.55m, 10.500m, 999_999.99m, 1_000_000m };

    [Theory]
    [MemberData(nameof(NonPositivePrices))]
    public void Create_WithNonPositivePrice_FailsOnPrice(decimal price)
    {
        var ex = Assert.Throws<BusinessRuleViolationException>(() => TicketDetails.Create("Concert", price));

        Assert.Equal(PriceMessage, ex.Message);
        Assert.Equal("price", ex.Field);
    }

    [Theory]
    [MemberData(nameof(PricesAboveTheMaximum))]
    public void Create_WithPriceAboveOneMillion_FailsOnPrice(decimal price)
    {
        var ex = Assert.Throws<BusinessRuleViolationException>(() => TicketDetails.Create("Concert", price));

        Assert.Equal(PriceMessage, ex.Message);
        Assert.Equal("price", ex.Field);
    }

    [Theory]
    [MemberData(nameof(PricesWithMoreThanTwoDecimals))]
    public void Create_WithMoreThanTwoDecimals_FailsOnPrice(decimal price)
    {
        var ex = Assert.Throws<BusinessRuleViolationException>(() => TicketDetails.Create("Concert", price));

        Assert.Equal(PriceMessage, ex.Message);
        Assert.Equal("price", ex.Field);
    }

    [Theory]
    [MemberData(nameof(ValidPrices))]
    public void Create_WithPositivePriceOfAtMostTwoDecimalsUpToOneMillion_KeepsThePrice(decimal price)
    {
        var details = TicketDetails.Create("Concert", price);

        Assert.Equal(price, details.Price);
    }
}
