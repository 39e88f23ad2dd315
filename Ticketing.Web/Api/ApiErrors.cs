using System.Text.Json.Serialization;

namespace Ticketing.Web.Api;

/// <summary>One problem with a request; <see cref="Field"/> names the input field of a validation error.</summary>
public sealed record ApiError(
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field = null);

/// <summary>The one error shape of the API: <c>{"errors":[{"message":"...","field":"title"}]}</c>.</summary>
public sealed record ApiErrorResponse(IReadOnlyList<ApiError> Errors)
{
    public static ApiErrorResponse Of(string message, string? field = null) => new([new ApiError(message, field)]);
}

/// <summary>
/// A request the API refuses before any use case runs (unreadable body, missing field, wrong
/// content type). Thrown from the endpoints, answered by <see cref="ApiErrorMiddleware"/>.
/// </summary>
public sealed class ApiRequestException(int statusCode, IReadOnlyList<ApiError> errors)
    : Exception(errors.Count > 0 ? errors[0].Message : "Bad request")
{
    public int StatusCode { get; } = statusCode;

    public IReadOnlyList<ApiError> Errors { get; } = errors;

    public static ApiRequestException BadRequest(string message, string? field = null) =>
        new(StatusCodes.Status400BadRequest, [new ApiError(message, field)]);
}
