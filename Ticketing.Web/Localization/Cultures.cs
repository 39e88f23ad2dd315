using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Ticketing.Web.Localization;

/// <summary>
/// The languages the UI speaks, chosen per request: the culture cookie the switcher sets, else the
/// browser's <c>Accept-Language</c>, else English. A Blazor circuit keeps the culture of the request
/// that opened it, so switching sets the cookie and loads the page again (decision 30).
/// </summary>
public static class Cultures
{
    public const string Default = "en";

    public static IReadOnlyList<string> Supported { get; } = ["en", "de"];

    /// <summary>Where the switcher sends the browser: sets the culture cookie, then back to <c>returnUrl</c>.</summary>
    public const string SwitchPath = "/culture";

    public static IServiceCollection AddTicketingLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddTransient<MudBlazor.MudLocalizer, MudStrings>();
        services.AddHttpContextAccessor();
        services.AddScoped<CircuitCulture>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, CircuitCultureHandler>();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture(Default)
                .AddSupportedCultures([.. Supported])
                .AddSupportedUICultures([.. Supported]);

            // The cookie and the browser's languages only; a ?culture= in a link is not a choice the user made.
            o.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        return services;
    }

    /// <summary>The switcher's endpoint (<c>GET /culture?culture=de&amp;returnUrl=/orders</c>).</summary>
    public static IEndpointRouteBuilder MapCultureSwitch(this IEndpointRouteBuilder app)
    {
        app.MapGet(SwitchPath, (HttpContext http, string? culture, string? returnUrl) => Switch(http, culture, returnUrl))
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>The switcher's link to <paramref name="culture"/>, coming back to <paramref name="returnPath"/>.</summary>
    public static string SwitchHref(string culture, string returnPath) =>
        $"{SwitchPath}?culture={Uri.EscapeDataString(culture)}&returnUrl={Uri.EscapeDataString(returnPath)}";

    /// <summary>The name of a language in itself, as a switcher offers it.</summary>
    public static string NativeName(string culture) => culture switch
    {
        "de" => "Deutsch",
        _ => "English",
    };

    /// <summary>The supported language a request is in (its UI culture, or a parent of it).</summary>
    public static string Current() =>
        Supported.Contains(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName) ? CultureInfo.CurrentUICulture.TwoLetterISOLanguageName : Default;

    private static IResult Switch(HttpContext http, string? culture, string? returnUrl)
    {
        if (culture is null || !Supported.Contains(culture))
        {
            return Results.BadRequest(new { errors = new[] { new { message = "Unknown language; choose one of: " + string.Join(", ", Supported), field = "culture" } } });
        }

        http.Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { Path = "/", MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Lax, HttpOnly = true, IsEssential = true, Secure = http.Request.IsHttps });

        // Only back into this site: a switcher link must not become an open redirect.
        return Results.Redirect(IsLocal(returnUrl) ? returnUrl! : "/");
    }

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Contains('\\', StringComparison.Ordinal) && !url.Any(char.IsControl);
}
