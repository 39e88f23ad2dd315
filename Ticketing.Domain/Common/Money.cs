using System.Globalization;

namespace Ticketing.Domain.Common;

public static class Money
{
    public const decimal MaxPrice = 1_000_000m;

    /// <summary>Amounts cross payment gateways in integer minor units (cents).</summary>
    public static long ToMinorUnits(decimal amount) => (long)decimal.Round(amount * 100m, 0, MidpointRounding.AwayFromZero);

    public static bool HasAtMostTwoDecimals(decimal amount) => decimal.Round(amount, 2) == amount;

    /// <summary>
    /// A price as people read it: "$1,250.00", "€1,250.00" or "1,250.00 CHF" by default (invariant,
    /// so that the server's culture cannot change an e-mail or the audit trail); in a reader's
    /// <paramref name="culture"/> its own separators and symbol placement, e.g. "1.250,00 €" in German.
    /// </summary>
    public static string Format(decimal amount, string currency, CultureInfo? culture = null)
    {
        var numbers = (NumberFormatInfo)(culture ?? CultureInfo.InvariantCulture).NumberFormat.Clone();
        var symbol = SymbolOf(currency);
        if (symbol is null)
        {
            return $"{amount.ToString("#,0.00", numbers)} {currency.ToUpperInvariant()}";
        }

        numbers.CurrencySymbol = symbol;
        numbers.CurrencyDecimalDigits = 2;
        return amount.ToString("C", numbers);
    }

    /// <summary>What stands beside an amount of <paramref name="currency"/>: "$", "€", "£", else its code ("CHF").</summary>
    public static string Symbol(string currency) => SymbolOf(currency) ?? currency.ToUpperInvariant();

    private static string? SymbolOf(string currency) => currency.ToLowerInvariant() switch
    {
        "usd" => "$",
        "eur" => "€",
        "gbp" => "£",
        _ => null,
    };
}
