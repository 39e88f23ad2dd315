using System.Globalization;
using Microsoft.Extensions.Localization;
using Ticketing.Web.Localization;

namespace Ticketing.Web.Components.Shared;

/// <summary>How the UI writes money and durations, the same on every page.</summary>
public static class Display
{
    /// <summary>
    /// A price in the shop's currency (<c>Payments:Currency</c>) as the reader's language writes it:
    /// "$1,250.00" or "€85.00" in English, "85,00 €" or "1.250,00 CHF" in German. The one way every
    /// page writes money; the culture is the request's (decision 30), never the server's own.
    /// </summary>
    public static string Price(decimal amount, string currency) => Ticketing.Domain.Common.Money.Format(amount, currency, CultureInfo.CurrentCulture);

    /// <summary>"12:30 left", "1:02:03 left", or "Expired" once no time remains (rounded up, as <see cref="Countdown"/>), in the reader's language.</summary>
    public static string Remaining(TimeSpan left, IStringLocalizer<UiStrings> text) =>
        left.TotalSeconds > 0 ? text["{0} left", Countdown(left)] : text["Expired"];

    /// <summary>"12:30" for twelve and a half minutes, "1:02:03" past an hour, never negative.</summary>
    public static string Countdown(TimeSpan left)
    {
        if (left < TimeSpan.Zero)
        {
            left = TimeSpan.Zero;
        }

        // Whole seconds rounded up: "0:01" is shown until the very end, never a premature "0:00".
        var seconds = (long)Math.Ceiling(left.TotalSeconds);
        var hours = seconds / 3600;
        var minutes = seconds / 60 % 60;
        var rest = seconds % 60;
        return hours > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{hours}:{minutes:00}:{rest:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{minutes}:{rest:00}");
    }
}
