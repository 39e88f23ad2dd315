using Microsoft.OpenApi;

namespace Ticketing.Web.Api;

internal static class ApiMetadata
{
    /// <summary>Names an endpoint (its OpenAPI operationId) and documents what it does.</summary>
    public static RouteHandlerBuilder WithOperation(this RouteHandlerBuilder builder, string name, string summary, string? description = null)
    {
        builder.WithName(name).WithSummary(summary);
        return description is null ? builder : builder.WithDescription(description);
    }

    /// <summary>Documents the error statuses an endpoint may answer, all in the errors shape.</summary>
    public static RouteHandlerBuilder ProducesErrors(this RouteHandlerBuilder builder, params int[] statusCodes)
    {
        foreach (var statusCode in statusCodes)
        {
            builder.Produces<ApiErrorResponse>(statusCode, "application/json");
        }

        return builder;
    }

    /// <summary>A JSON body read by the binding: its size limit, and the errors of reading it (<see cref="ApiBindingErrors"/>).</summary>
    public static RouteHandlerBuilder AcceptsJson<TRequest>(this RouteHandlerBuilder builder)
    {
        builder.Finally(ApiJsonBody.RemoveContentTypeRouting);
        return builder.WithMetadata(new ApiJsonBody(typeof(TRequest)))
            .DescribesBody<TRequest>()
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
    }

    /// <summary>
    /// Documents the request body for OpenAPI only. Not with <c>Accepts</c>: that metadata takes
    /// part in routing, and a request in another content type would then miss the endpoint and
    /// fall through to the 404, instead of getting its 415 (or, for the webhook, being read).
    /// </summary>
    public static RouteHandlerBuilder DescribesBody<TRequest>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(TRequest), null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });
}
