using System.Text.Json.Serialization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Ticketing.Web.Api;

/// <summary>The JSON API of the original services, beside the UI.</summary>
public static class ApiRegistration
{
    public static IServiceCollection AddTicketingApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new UtcTimestampJsonConverter());

            // Numbers are numbers (also in the OpenAPI schemas, which follow these options).
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        // Asked before the default writer: every /api problem is written in the spec's shape.
        services.AddSingleton<IProblemDetailsWriter, ApiProblemDetailsWriter>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ApiProblems.AddErrors);
        services.AddExceptionHandler<ApiExceptionHandler>();

        // Binding failures (no body, not JSON, a wrong type in one field) are thrown in every
        // environment, so that the handler answers them with the field instead of a bare 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddTicketingRateLimits();
        services.AddSingleton<TicketListCache>();
        services.AddOpenApi(o =>
        {
            // The document describes the JSON API only, not the pages or the hub.
            o.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Ticketing API";
                document.Info.Description = "Auth is the Identity cookie set by sign-up and sign-in. Errors are always {\"errors\":[{\"message\",\"field\"?}]}.";
                return Task.CompletedTask;
            });

            // The timestamp converter hides the type from the schema generator; say what it writes.
            o.AddSchemaTransformer((schema, context, _) =>
            {
                var type = context.JsonTypeInfo.Type;
                if (type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?))
                {
                    schema.Type = type == typeof(DateTimeOffset) ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
                    schema.Format = "date-time";
                }

                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static bool IsApiCall(HttpContext context) => ApiProblems.IsApi(context.Request);

    public static WebApplication MapTicketingApi(this WebApplication app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter<JsonContentFilter>();
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapUsersApi();
        users.MapAccountApi();
        api.MapTicketsApi();
        api.MapOrdersApi();
        api.MapPaymentsApi();
        api.MapDeliveryApi();

        // Outside the JSON-only filter: Stripe decides the webhook's content type, and the upload's
        // body is the ticket file itself.
        var raw = app.MapGroup("/api");
        raw.MapPaymentWebhook();
        raw.MapTicketFileUpload();

        // Beats any catch-all page route: an unknown /api path is a 404 in the errors shape.
        app.Map("/api/{**path}", () => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound))
            .ExcludeFromDescription();

        // Served in every environment: the API is public and so is its description.
        app.MapOpenApi();
        // Only the reference: no hosted assistant, SDK generator or deploy offers, no fonts or
        // telemetry from Scalar's servers (the page's policy allows this origin only).
        app.MapScalarApiReference(o => o.WithTitle("Ticketing API")
            .DisableAgent()
            .DisableMcp()
            .DisableTelemetry()
            .DisableDefaultFonts()
            .HideDeveloperTools()
            .HideClientButton());
        return app;
    }
}
