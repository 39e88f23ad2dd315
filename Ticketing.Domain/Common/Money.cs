namespace Ticketing.Domain.Common;

public static class Money
{
    public const decimal MaxPrice = 1_000_000m;

    /// <summary>Amounts cross payment gateways in integer minor units (cents).</summary>
    public static long ToMinorUnits(decimal amount) => (long)decimal.Round(amount * 100m, 0, MidpointRounding.AwayFromZero);

    public static bool HasAtMostTwoDecimals(decimal amount) => decimal.Round(amount, 2) == amount;
}
