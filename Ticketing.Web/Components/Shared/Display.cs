using System.Globalization;

namespace Ticketing.Web.Components.Shared;

/// <summary>How the UI writes money and durations, the same on every page.</summary>
public static class Display
{
    // Prices are US dollars (Payments:Currency is usd); the server's culture must not change the symbol.
    private static readonly CultureInfo Money = CultureInfo.GetCultureInfo("en-US");

    public static string Price(decimal amount) => amount.ToString("C", Money);

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
