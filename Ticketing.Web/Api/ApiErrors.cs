using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Ticketing.Web.Api;

/// <summary>One problem with a request; <see cref="Field"/> names the input field of a validation error.</summary>
public sealed record ApiError(
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field = null);

/// <summary>The one error shape of the API: <c>{"errors":[{"message":"...","field":"title"}]}</c>.</summary>
public sealed record ApiErrorResponse(IReadOnlyList<ApiError> Errors);

/// <summary>
/// A request the API refuses before or instead of a use case (unreadable body, missing field, wrong
/// content type, an outcome that is not a success). Thrown from endpoints and filters, answered by
/// <see cref="ApiExceptionHandler"/>.
/// </summary>
public sealed class ApiRequestException(int statusCode, IReadOnlyList<ApiError> errors)
    : Exception(errors.Count > 0 ? errors[0].Message : "Bad request")
{
    public int StatusCode { get; } = statusCode;

    public IReadOnlyList<ApiError> Errors { get; } = errors;

    /// <summary>When set, answered as <c>Retry-After</c> (whole seconds): how long the caller should wait.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static ApiRequestException BadRequest(string message, string? field = null) =>
        new(StatusCodes.Status400BadRequest, [new ApiError(message, field)]);

    public static ApiRequestException Of(int statusCode, string message, string? field = null) =>
        new(statusCode, [new ApiError(message, field)]);
}

/// <summary>
/// The API's errors are ProblemDetails on their way through the pipeline: whoever refuses a call
/// (the exception handler, the status-code pages, the cookie's 401, the rate limiter) hands one to
/// <see cref="IProblemDetailsService"/>. The <c>errors</c> member travels in its extensions;
/// <see cref="AddErrors"/> supplies it when the refusal carried no message of its own.
/// </summary>
public static class ApiProblems
{
    public const string ErrorsKey = "errors";

    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    /// <summary>Sets the status and writes the errors body through the problem-details service.</summary>
    public static async Task WriteAsync(HttpContext http, int statusCode, IReadOnlyList<ApiError>? errors = null)
    {
        http.Response.StatusCode = statusCode;
        var problem = new ProblemDetails { Status = statusCode };
        if (errors is not null)
        {
            problem.Extensions[ErrorsKey] = errors;
        }

        await http.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }

    /// <summary><see cref="ProblemDetailsOptions.CustomizeProblemDetails"/>: every API problem has its <c>errors</c>.</summary>
    public static void AddErrors(ProblemDetailsContext context)
    {
        if (!IsApi(context.HttpContext.Request) || context.ProblemDetails.Extensions.ContainsKey(ErrorsKey))
        {
            return;
        }

        var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
        var message = context.ProblemDetails.Detail ?? DefaultMessage(status);
        context.ProblemDetails.Extensions[ErrorsKey] = new[] { new ApiError(message) };
    }

    /// <summary>The errors a problem carries, as <see cref="AddErrors"/> left them.</summary>
    public static IReadOnlyList<ApiError> ErrorsOf(ProblemDetails problem) =>
        problem.Extensions.TryGetValue(ErrorsKey, out var value) && value is IReadOnlyList<ApiError> { Count: > 0 } errors
            ? errors
            : [new ApiError(problem.Detail ?? DefaultMessage(problem.Status ?? StatusCodes.Status500InternalServerError))];

    private static string DefaultMessage(int status) => status switch
    {
        StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => "Not authorized",
        StatusCodes.Status404NotFound => "Not found",
        StatusCodes.Status500InternalServerError => "Something went wrong",
        _ => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Request failed",
    };
}

/// <summary>
/// Writes an API problem as the spec's body, <c>{"errors":[...]}</c> with <c>application/json</c>:
/// the clients of the original services read exactly that. Registered before the default writer so
/// that it answers every <c>/api</c> call; pages keep the framework's own.
/// </summary>
internal sealed class ApiProblemDetailsWriter(Microsoft.Extensions.Options.IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => ApiProblems.IsApi(context.HttpContext.Request);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        // The default writer applies the customisation itself; a writer of its own must too.
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var http = context.HttpContext;
        return new ValueTask(http.Response.WriteAsJsonAsync(
            new ApiErrorResponse(ApiProblems.ErrorsOf(context.ProblemDetails)),
            options: (System.Text.Json.JsonSerializerOptions?)null,
            contentType: "application/json; charset=utf-8",
            cancellationToken: http.RequestAborted));
    }
}
