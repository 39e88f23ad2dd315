using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Common;

namespace Ticketing.Web.Api;

/// <summary>
/// Gives every failed <c>/api</c> call the errors shape: domain and request exceptions become their
/// status codes, anything unexpected is logged and answered 500 without detail, and an error status
/// that nothing wrote a body for (no route, wrong method) gets one, so that the HTML status pages
/// never answer an API client.
/// </summary>
internal sealed partial class ApiErrorMiddleware(RequestDelegate next, ILogger<ApiErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
            return;
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            var (status, body) = Describe(ex, context);
            context.Response.Clear();
            await WriteAsync(context, status, body);
            return;
        }

        var response = context.Response;
        if (response.StatusCode >= 400 && !response.HasStarted && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
        {
            await WriteAsync(context, response.StatusCode, ApiErrorResponse.Of(DefaultMessage(response.StatusCode)));
        }
    }

    private (int Status, ApiErrorResponse Body) Describe(Exception ex, HttpContext context)
    {
        switch (ex)
        {
            case ApiRequestException request:
                return (request.StatusCode, new ApiErrorResponse(request.Errors));
            case DomainException domain:
                return (StatusFor(domain), ApiErrorResponse.Of(domain.Message, domain.Field));
            case DbUpdateConcurrencyException:
                // The use cases explain the races they expect; this is the safety net for the rest.
                return (StatusCodes.Status409Conflict, ApiErrorResponse.Of("Someone else changed this just now; reload and try again"));
            case BadHttpRequestException badRequest:
                return (badRequest.StatusCode, ApiErrorResponse.Of(DefaultMessage(badRequest.StatusCode)));
            default:
                LogUnexpected(ex, context.Request.Method, context.Request.Path);
                return (StatusCodes.Status500InternalServerError, ApiErrorResponse.Of("Something went wrong"));
        }
    }

    private static int StatusFor(DomainException ex) => ex switch
    {
        NotFoundException => StatusCodes.Status404NotFound,
        AccessDeniedException => StatusCodes.Status401Unauthorized,
        ConcurrencyConflictException => StatusCodes.Status409Conflict,
        PaymentDeclinedException => StatusCodes.Status402PaymentRequired,
        Domain.Payments.PaymentProviderUnavailableException => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    private static string DefaultMessage(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "Not authorized",
        StatusCodes.Status404NotFound => "Not found",
        _ => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Request failed",
    };

    private static Task WriteAsync(HttpContext context, int status, ApiErrorResponse body)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(body, context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure of {Method} {Path}")]
    private partial void LogUnexpected(Exception exception, string method, string path);
}
