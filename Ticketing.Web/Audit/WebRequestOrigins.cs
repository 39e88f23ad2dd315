using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Routing;
using Ticketing.Infrastructure.Audit;

namespace Ticketing.Web.Audit;

/// <summary>
/// Tells the audit trail who started the work being saved: the signed-in user of the page's
/// circuit, or of the API request; the payment provider for its webhook.
/// </summary>
internal sealed class WebRequestOrigins(IHttpContextAccessor http) : IRequestOrigins
{
    /// <summary>The name the Stripe webhook's endpoint is mapped with.</summary>
    public const string WebhookEndpoint = "StripeWebhook";

    public RequestOrigin? Current => CircuitOrigins.Current ?? FromRequest(http.HttpContext);

    private static RequestOrigin? FromRequest(HttpContext? context)
    {
        if (context is null)
        {
            return null;
        }

        if (context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == WebhookEndpoint)
        {
            return RequestOrigin.Webhook;
        }

        return From(context.User);
    }

    public static RequestOrigin? From(ClaimsPrincipal user) =>
        user.ToActor() is { } actor ? new RequestOrigin(actor.UserId, user.IsInRole(Roles.Admin)) : null;
}

/// <summary>
/// A Blazor page's work runs on its circuit, not in an HTTP request: each inbound activity (a click,
/// a form post) carries the circuit's signed-in user for the saves it makes.
/// </summary>
internal sealed class CircuitOrigins(AuthenticationStateProvider authentication) : CircuitHandler
{
    private static readonly AsyncLocal<RequestOrigin?> Ambient = new();

    public static RequestOrigin? Current => Ambient.Value;

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            var state = await authentication.GetAuthenticationStateAsync();

            // Flows into everything this activity starts, and is gone when it ends.
            Ambient.Value = WebRequestOrigins.From(state.User);
            await next(context);
        };
}

internal static class RequestOriginRegistration
{
    public static IServiceCollection AddRequestOrigins(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<IRequestOrigins, WebRequestOrigins>();
        services.AddScoped<CircuitHandler, CircuitOrigins>();
        return services;
    }
}
