using System.Globalization;
using Microsoft.JSInterop;

namespace Ticketing.Web.Components.Shared;

/// <summary>
/// The browser's time zone, cascaded by the layout. A Blazor Server circuit runs on the server, so
/// the zone comes from the browser over JS interop (and a cookie, so that prerendering knows it on
/// the next visit). Until it is known, times are written in UTC and say so.
/// </summary>
public sealed class BrowserTime
{
    public const string CookieName = "ticketing.tz";

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    /// <summary>True once the zone came from the browser; otherwise times are labelled UTC.</summary>
    public bool IsKnown { get; private set; }

    public event Action? Changed;

    /// <summary>Adopts an IANA (or Windows) zone id; unknown ids are ignored.</summary>
    public bool TrySetZone(string? zoneId)
    {
        if (string.IsNullOrWhiteSpace(zoneId) || !TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone))
        {
            return false;
        }

        if (IsKnown && zone.Id == Zone.Id)
        {
            return true;
        }

        Zone = zone;
        IsKnown = true;
        Changed?.Invoke();
        return true;
    }

    /// <summary>The zone the browser said last time (its cookie), for a page rendered before it can be asked.</summary>
    public static string? FromCookie(HttpContext? http) => http?.Request.Cookies[CookieName];

    /// <summary>
    /// Asks the browser for its zone (<c>js/browser.js</c>) and adopts it, remembering it in the cookie
    /// when it differs from <paramref name="fromCookie"/>. True when the zone changed.
    /// </summary>
    public async Task<bool> AskAsync(IJSObjectReference browser, string? fromCookie)
    {
        var zone = await browser.InvokeAsync<string?>("timeZone");
        var wasKnown = IsKnown ? Zone.Id : null;
        if (zone is null || !TrySetZone(zone))
        {
            return false;
        }

        if (zone != fromCookie)
        {
            await browser.InvokeVoidAsync("setCookie", CookieName, zone, 365);
        }

        return Zone.Id != wasKnown;
    }

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>
    /// The instant written in the browser's zone and the reader's language (the request's culture,
    /// decision 30), with " UTC" appended while that zone is unknown: the one way pages write times.
    /// <paramref name="format"/> is the English pattern; German gets its own order of the same parts.
    /// </summary>
    public string Format(DateTimeOffset instant, string format)
    {
        var culture = CultureInfo.CurrentCulture;
        return ToLocal(instant).ToString(Pattern(format, culture), culture) + (IsKnown ? string.Empty : " UTC");
    }

    // German puts a full stop after the day and a comma after the weekday: "Do, 5. März 2026, 20:00".
    private static readonly Dictionary<string, string> GermanPatterns = new(StringComparer.Ordinal)
    {
        ["ddd d MMM, HH:mm"] = "ddd, d. MMM, HH:mm",
        ["ddd d MMM yyyy, HH:mm"] = "ddd, d. MMM yyyy, HH:mm",
        ["dddd d MMMM yyyy, HH:mm"] = "dddd, d. MMMM yyyy, HH:mm",
        ["d MMM yyyy"] = "d. MMM yyyy",
    };

    private static string Pattern(string format, CultureInfo culture) =>
        culture.TwoLetterISOLanguageName == "de" && GermanPatterns.TryGetValue(format, out var german) ? german : format;

    /// <summary>A wall-clock date and time the user typed, read in the browser's zone.</summary>
    public DateTimeOffset FromLocal(DateTime wallClock) => FromLocal(wallClock, Zone);

    /// <summary>A wall-clock date and time read in <paramref name="zone"/>.</summary>
    public static DateTimeOffset FromLocal(DateTime wallClock, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        // A time skipped by a DST change does not exist; move it forward by the gap, as clocks do.
        if (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddHours(1);
        }

        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified)).ToUniversalTime();
    }
}
