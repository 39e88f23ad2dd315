using Ticketing.Infrastructure.Payments;

namespace Ticketing.Web.Security;

/// <summary>
/// Headers on every response, a Content-Security-Policy on every HTML page, and <c>no-store</c> on
/// every API answer that does not say otherwise. The policy allows
/// only this origin's scripts (Blazor and MudBlazor ship none inline) and connections to this origin
/// only: CSP Level 3's <c>'self'</c> covers the page's own <c>ws:</c>/<c>wss:</c> address, so the
/// SignalR WebSocket needs no wider source; inline styles are allowed because MudBlazor positions
/// popovers with style attributes.
/// </summary>
/// <remarks>
/// With Stripe configured the order page takes cards in Stripe's Payment Element, so the policy
/// also names exactly the origins Stripe documents for Stripe.js: its script and frames from
/// <c>js.stripe.com</c>, the 3-D Secure frames from <c>hooks.stripe.com</c>, and its API at
/// <c>api.stripe.com</c>. Every page gets the same policy, because a Blazor circuit keeps the first
/// page's policy while the buyer navigates to the order page without a reload.
/// </remarks>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; " +
        "form-action 'self'; frame-ancestors 'none'";

    public const string StripeContentSecurityPolicy =
        "default-src 'self'; script-src 'self' https://js.stripe.com https://*.js.stripe.com; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self' https://api.stripe.com; " +
        "frame-src 'self' https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com; object-src 'none'; base-uri 'self'; " +
        "form-action 'self'; frame-ancestors 'none'";

    // The API reference page (Scalar) boots from an inline script.
    private const string ApiReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    /// <summary>
    /// How long a browser that has seen the site over HTTPS refuses plain HTTP to it: a year, the
    /// least that browsers' preload lists accept (the framework's default is 30 days). Neither
    /// <c>includeSubDomains</c> nor <c>preload</c>: the site's other hosts are not this app's to bind.
    /// </summary>
    public static readonly TimeSpan HstsMaxAge = TimeSpan.FromDays(365);

    public static IServiceCollection AddTicketingHsts(this IServiceCollection services) =>
        services.AddHsts(o => o.MaxAge = HstsMaxAge);

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var pagePolicy = app.ApplicationServices.GetRequiredService<IOptions<PaymentsOptions>>().Value.UsePaymentElement
            ? StripeContentSecurityPolicy
            : ContentSecurityPolicy;
        return app.Use(async (http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                if (http.Request.Path.StartsWithSegments("/api") && !headers.ContainsKey("Cache-Control"))
                {
                    // A signed-in caller's orders, account or e-ticket stay out of shared caches and
                    // the browser's disk; the public lists change with every reservation anyway.
                    headers.CacheControl = "no-store";
                }

                if (http.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
                {
                    headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/scalar")
                        ? ApiReferencePolicy
                        : pagePolicy;
                }

                return Task.CompletedTask;
            });
            await next();
        });
    }
}
