using System.Globalization;

namespace Ticketing.Domain.Common;

public static class Money
{
    public const decimal MaxPrice = 1_000_000m;

    /// <summary>Amounts cross payment gateways in integer minor units (cents).</summary>
    public static long ToMinorUnits(decimal amount) => (long)decimal.Round(amount * 100m, 0, MidpointRounding.AwayFromZero);

    public static bool HasAtMostTwoDecimals(decimal amount) => decimal.Round(amount, 2) == amount;

    /// <summary>
    /// A price as people read it, the same on every page and in every e-mail: "$1,250.00",
    /// "€1,250.00" or "1,250.00 CHF". Invariant, so that the server's culture cannot change it.
    /// </summary>
    public static string Format(decimal amount, string currency)
    {
        var number = amount.ToString("#,0.00", CultureInfo.InvariantCulture);
        return currency.ToLowerInvariant() switch
        {
            "usd" => "$" + number,
            "eur" => "€" + number,
            "gbp" => "£" + number,
            _ => $"{number} {currency.ToUpperInvariant()}",
        };
    }
}
