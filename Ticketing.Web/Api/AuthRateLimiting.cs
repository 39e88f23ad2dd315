using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Ticketing.Web.Api;

/// <summary>Bound from <c>RateLimiting</c>: sign-up and sign-in attempts per client address and window.</summary>
public sealed class AuthRateLimitOptions
{
    public const string Section = "RateLimiting";

    public int AuthPermitLimit { get; set; } = 20;

    public int AuthWindowSeconds { get; set; } = 60;
}

/// <summary>
/// A fixed window per client IP on sign-up and sign-in: it slows password guessing across
/// accounts, which Identity's per-account lockout does not. Behind a reverse proxy every client
/// shares the proxy's address unless forwarded headers are configured.
/// </summary>
internal static class AuthRateLimiting
{
    public const string PolicyName = "auth";

    public static IServiceCollection AddAuthRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<AuthRateLimitOptions>()
            .BindConfiguration(AuthRateLimitOptions.Section)
            .Validate(o => o.AuthPermitLimit > 0 && o.AuthWindowSeconds > 0, "RateLimiting:AuthPermitLimit and AuthWindowSeconds must be positive.")
            .ValidateOnStart();

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PolicyName, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<AuthRateLimitOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.AuthPermitLimit,
                        Window = TimeSpan.FromSeconds(options.AuthWindowSeconds),
                        QueueLimit = 0,
                    });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    rejected.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await rejected.HttpContext.Response.WriteAsJsonAsync(
                    ApiErrorResponse.Of("Too many attempts; try again later"), cancellationToken);
            };
        });
        return services;
    }
}
