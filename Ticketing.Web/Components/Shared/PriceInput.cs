using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using MudBlazor;
using Ticketing.Domain.Common;
using Ticketing.Web.Localization;

namespace Ticketing.Web.Components.Shared;

/// <summary>
/// What a person may type as a price, in the seller's form and the admin's grid alike: digits with at
/// most one decimal separator and at most two decimals, where "." and "," both mark the decimals in
/// every language ("12,50" and "12.50" are both twelve fifty). A thousands separator ("1,250",
/// "1.250,00"), letters or an exponent are refused, never guessed at: a guess that is wrong by a
/// factor of 100 puts a listing on the market at the wrong price. Messages are English keys for
/// <c>L[...]</c>.
/// </summary>
public static partial class PriceInput
{
    public const string NotANumber = "Enter the price as a number, e.g. 12.50";

    public const string NoThousandsSeparators = "Write the price without thousands separators, e.g. 1250 or 12.50";

    public const string TooManyDecimals = "Price can have at most 2 decimals";

    /// <summary>A phone's keyboard for a price field: digits and a decimal separator.</summary>
    public static InputMode Keyboard => InputMode.@decimal;

    /// <summary>The price that <paramref name="text"/> says, or why it says none; blank text is no price and no error.</summary>
    public static (decimal? Price, string? Error) Read(string? text, CultureInfo culture)
    {
        var typed = text?.Trim() ?? string.Empty;
        if (typed.Length == 0)
        {
            return (null, null);
        }

        var number = Number().Match(typed);
        if (!number.Success)
        {
            return (null, Grouped().IsMatch(typed) ? NoThousandsSeparators : NotANumber);
        }

        var (whole, separator, fraction) = (number.Groups["whole"].Value, number.Groups["separator"].Value, number.Groups["fraction"].Value);
        if (fraction.Length > 2)
        {
            // "1,250" in English and "1.250" in German are how the reader writes a thousand; elsewhere three decimals are just too many.
            return (null, fraction.Length == 3 && separator == culture.NumberFormat.NumberGroupSeparator ? NoThousandsSeparators : TooManyDecimals);
        }

        if (!decimal.TryParse($"{number.Groups["sign"].Value}{(whole.Length == 0 ? "0" : whole)}.{(fraction.Length == 0 ? "0" : fraction)}",
                NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var price))
        {
            return (null, "Price must be at most 1,000,000");
        }

        return (price, null);
    }

    /// <summary>The rules a price meets however it was typed, as the seller's form has always said them.</summary>
    public static string? Check(decimal? price) => price switch
    {
        null => "Price is required",
        <= 0m => "Price must be greater than 0",
        > Money.MaxPrice => "Price must be at most 1,000,000",
        { } p when !Money.HasAtMostTwoDecimals(p) => TooManyDecimals,
        _ => null,
    };

    /// <summary>A price as the field shows it, readable by <see cref="Read"/>: "1250", "12.50" or, in German, "12,50".</summary>
    public static string Write(decimal price, CultureInfo culture) =>
        price.ToString(price == decimal.Truncate(price) ? "0" : "0.00##", culture);

    // Digits, one optional "." or "," and what follows it; a leading minus is read so that the rules can say "greater than 0".
    [GeneratedRegex(@"^(?<sign>-)?(?=[.,]?[0-9])(?<whole>[0-9]*)(?:(?<separator>[.,])(?<fraction>[0-9]*))?$")]
    private static partial Regex Number();

    // Digit groups parted by separators: "1,250.00", "1.250,00", "1 250", "1'250".
    [GeneratedRegex(@"^-?[0-9]+(?:[.,'’\s][0-9]+)+$")]
    private static partial Regex Grouped();
}

/// <summary>Reads and writes a price field's text by <see cref="PriceInput"/>; what it refuses shows under the field in the reader's language.</summary>
public sealed class PriceInputConverter(IStringLocalizer<UiStrings> text) : IReversibleConverter<decimal?, string?>
{
    public string? Convert(decimal? input) => input is { } price ? PriceInput.Write(price, CultureInfo.CurrentCulture) : null;

    public decimal? ConvertBack(string? input)
    {
        var (price, error) = PriceInput.Read(input, CultureInfo.CurrentCulture);
        return error is null ? price : throw new FormatException(text[error]);
    }
}
