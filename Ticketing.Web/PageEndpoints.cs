using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Ticketing.Web.Scan;

namespace Ticketing.Web;

/// <summary>The endpoints beside the pages, outside the JSON API and its OpenAPI document.</summary>
public static class PageEndpoints
{
    public static IEndpointRouteBuilder MapPageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(AdminExportEndpoints.Path, AdminExportEndpoints.Export).ForPagesOf(Roles.Admin);

        // A raw body, not a form: there is no antiforgery token to check.
        app.MapPost(CameraFrameEndpoints.Path, CameraFrameEndpoints.ReadAsync).ForPagesOf(Roles.Scanner, Roles.Admin).DisableAntiforgery();
        return app;
    }

    /// <summary>
    /// Pages answer <c>HEAD</c> as they answer <c>GET</c>, headers and status alike, and Kestrel sends
    /// no body: uptime monitors and link checkers that ask with <c>HEAD</c> see the pages that exist.
    /// </summary>
    public static TBuilder AnswerHeadLikeGet<TBuilder>(this TBuilder pages)
        where TBuilder : IEndpointConventionBuilder
    {
        pages.Add(endpoint =>
        {
            if (endpoint.Metadata.OfType<HttpMethodMetadata>().LastOrDefault() is { } methods
                && methods.HttpMethods.Contains(HttpMethods.Get)
                && !methods.HttpMethods.Contains(HttpMethods.Head))
            {
                endpoint.Metadata.Add(new HttpMethodMetadata([.. methods.HttpMethods, HttpMethods.Head]));
            }
        });
        return pages;
    }

    /// <summary>
    /// For users in any of <paramref name="roles"/>: anonymous callers are sent to the sign-in page and
    /// other users to access denied, like the pages themselves.
    /// </summary>
    private static RouteHandlerBuilder ForPagesOf(this RouteHandlerBuilder endpoint, params string[] roles) =>
        endpoint.RequireAuthorization(new AuthorizeAttribute { Roles = string.Join(',', roles) }).ExcludeFromDescription();
}
