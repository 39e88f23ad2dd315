using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Ticketing.Web.Security;

namespace Ticketing.Web.Api;

/// <summary>Bound from <c>RateLimiting</c>: attempts allowed per window.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimiting";

    /// <summary>Sign-ups and sign-ins (API and forms) per client address.</summary>
    public int AuthPermitLimit { get; set; } = 20;

    public int AuthWindowSeconds { get; set; } = 60;

    /// <summary>Reservations (<c>POST /api/orders</c>) per signed-in user.</summary>
    public int OrdersPermitLimit { get; set; } = 20;

    public int OrdersWindowSeconds { get; set; } = 60;
}

/// <summary>
/// Fixed windows: sign-up and sign-in per client address (slows password guessing across accounts,
/// which the per-account lockout does not), and reservations per user (with the cap on live
/// reservations, keeps one script from cycling every ticket on the market through reserve and
/// cancel). The client address is the real one behind a known proxy (<see cref="ForwardedHeadersSetup"/>).
/// </summary>
internal static partial class RateLimits
{
    public const string AuthPolicy = "auth";
    public const string OrdersPolicy = "orders";

    public static IServiceCollection AddTicketingRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.Section)
            .Validate(
                o => o.AuthPermitLimit > 0 && o.AuthWindowSeconds > 0 && o.OrdersPermitLimit > 0 && o.OrdersWindowSeconds > 0,
                "RateLimiting:AuthPermitLimit, AuthWindowSeconds, OrdersPermitLimit and OrdersWindowSeconds must be positive.")
            .ValidateOnStart();

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;

            // Only posts count: the sign-in and sign-up pages carry the policy too, and viewing
            // them is not an attempt.
            limiter.AddPolicy(AuthPolicy, context =>
            {
                if (!HttpMethods.IsPost(context.Request.Method))
                {
                    return RateLimitPartition.GetNoLimiter(string.Empty);
                }

                var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    ClientAddress.Of(context),
                    _ => Window(options.AuthPermitLimit, options.AuthWindowSeconds));
            });

            limiter.AddPolicy(OrdersPolicy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                var user = context.User.UserId();
                return RateLimitPartition.GetFixedWindowLimiter(
                    user is null ? $"client:{ClientAddress.Of(context)}" : $"user:{user}",
                    _ => Window(options.OrdersPermitLimit, options.OrdersWindowSeconds));
            });

            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var http = rejected.HttpContext;
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                LogRejected(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimits)), http.Request.Method, http.Request.Path, ClientAddress.Of(http));
                if (ApiProblems.IsApi(http.Request))
                {
                    await ApiProblems.WriteAsync(http, StatusCodes.Status429TooManyRequests, [new ApiError("Too many attempts; try again later")]);
                    return;
                }

                // A form post: a page to read rather than the API's JSON.
                http.Response.ContentType = "text/html; charset=utf-8";
                await http.Response.WriteAsync(
                    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too many attempts · Ticketing</title></head>"
                    + "<body><h1>Too many attempts</h1><p>Please wait a minute, then <a href=\"\">try again</a>.</p></body></html>",
                    cancellationToken);
            };
        });
        return services;
    }

    private static FixedWindowRateLimiterOptions Window(int permits, int seconds) => new()
    {
        PermitLimit = permits,
        Window = TimeSpan.FromSeconds(seconds),
        QueueLimit = 0,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limit refused {Method} {Path} from {ClientAddress}")]
    private static partial void LogRejected(ILogger logger, string method, string path, string clientAddress);
}
