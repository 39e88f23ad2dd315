using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;

namespace Ticketing.Web.Api;

/// <summary>
/// What the framework's binding refused, in the client's terms. The binder's own messages name the
/// handler's parameters and .NET types; these name the request's fields and the JSON they expect.
/// </summary>
internal static partial class ApiBindingErrors
{
    public const string JsonOnly = "Content-Type must be application/json";

    public static IReadOnlyList<ApiError>? Describe(BadHttpRequestException exception, HttpContext context)
    {
        switch (exception.StatusCode)
        {
            case StatusCodes.Status415UnsupportedMediaType:
                return [new ApiError(JsonOnly)];
            case StatusCodes.Status413PayloadTooLarge:
                return ApiJsonBody.TooLarge().Errors;
            case StatusCodes.Status400BadRequest when exception.InnerException is JsonException json:
                return [WrongJson(json, context)];
            case StatusCodes.Status400BadRequest when BodyType(context) is not null:
                // The body was required and held nothing, or JSON null.
                return [new ApiError(context.Request.ContentLength > 0 ? "The request body must be a JSON object" : "A JSON request body is required")];
            default:
                // A route or query value the binder could not read: the status's own words.
                return null;
        }
    }

    private static ApiError WrongJson(JsonException exception, HttpContext context)
    {
        // The reader's failures (malformed or empty JSON) wrap a reader exception; the converters' do not.
        if (exception.InnerException is JsonException)
        {
            return new ApiError("The request body is not valid JSON");
        }

        var match = FirstMember().Match(exception.Path ?? string.Empty);
        if (!match.Success)
        {
            return new ApiError("The request body must be a JSON object");
        }

        var name = match.Groups["dotted"].Success ? match.Groups["dotted"].Value : match.Groups["quoted"].Value;
        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var field = BodyType(context) is { } type
            ? options.GetTypeInfo(type).Properties.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            : null;
        return field is null
            ? new ApiError("The request body has a value of the wrong type")
            : new ApiError($"{field.Name} must be {Expected(field)}", field.Name);
    }

    // The exception handler clears the endpoint before it runs; the feature keeps the one that failed.
    private static Type? BodyType(HttpContext context) =>
        (context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint())?.Metadata.GetMetadata<ApiJsonBody>()?.RequestType;

    private static string Expected(JsonPropertyInfo field) => (Nullable.GetUnderlyingType(field.PropertyType) ?? field.PropertyType) switch
    {
        var t when t == typeof(string) => "a string",
        var t when t == typeof(Guid) => "a valid id",
        var t when t == typeof(int) || t == typeof(long) => "a whole number",
        var t when t == typeof(decimal) || t == typeof(double) => "a number",
        var t when t == typeof(DateTimeOffset) || t == typeof(DateTime) => "an ISO 8601 timestamp",
        var t when t == typeof(bool) => "true or false",
        _ => "a valid value",
    };

    // "$.price", "$.price[0]", "$['price']": the top-level member the bad value sits under.
    [GeneratedRegex(@"^\$(?:\.(?<dotted>[^.\[]+)|\['(?<quoted>[^']+)'\])")]
    private static partial Regex FirstMember();
}
