using Ticketing.Domain.Common;

namespace Ticketing.Domain.Tests.Common;

public sealed class MoneyTests
{
    public static TheoryData<decimal, long> AmountsInMinorUnits => new()
    {
        { 10.5m, 1050 },
        { 0.01m, 1 },
        { 10m, 1000 },
        { 19.99m, 1999 },
        { 10.50m, 1050 },
        { 1_000_000m, 100_000_000 },
    };

    public static TheoryData<decimal> AmountsWithAtMostTwoDecimals => new() { 10m, 10.5m, 10.55m, 0.01m, 10.500m, 1_000_000m, 0m, -3.25m };

    public static TheoryData<decimal> AmountsWithMoreThanTwoDecimals => new() { 10.999m, 10.001m, 0.001m, 10.505m, -3.255m };

    [Theory]
    [MemberData(nameof(AmountsInMinorUnits))]
    public void ToMinorUnits_GivesWholeCents(decimal amount, long expected)
    {
        Assert.Equal(expected, Money.ToMinorUnits(amount));
    }

    [Fact]
    public void ToMinorUnits_RoundsHalfCentsAwayFromZero()
    {
        Assert.Equal(3, Money.ToMinorUnits(0.025m));
        Assert.Equal(1, Money.ToMinorUnits(0.005m));
        Assert.Equal(0, Money.ToMinorUnits(0.004m));
    }

    [Theory]
    [MemberData(nameof(AmountsWithAtMostTwoDecimals))]
    public void HasAtMostTwoDecimals_WithAtMostTwoSignificantDecimals_IsTrue(decimal amount)
    {
        Assert.True(Money.HasAtMostTwoDecimals(amount));
    }

    [Theory]
    [MemberData(nameof(AmountsWithMoreThanTwoDecimals))]
    public void HasAtMostTwoDecimals_WithAThirdSignificantDecimal_IsFalse(decimal amount)
    {
        Assert.False(Money.HasAtMostTwoDecimals(amount));
    }

    [Fact]
    public void MaxPrice_IsOneMillion()
    {
        Assert.Equal(1_000_000m, Money.MaxPrice);
    }
}
