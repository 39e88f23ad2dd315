using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Payments;

namespace Ticketing.Web.Api;

/// <summary>
/// Turns what an <c>/api</c> call threw into its status and errors: domain and request exceptions
/// become their status codes, anything unexpected is logged and answered 500 without detail. Pages
/// are left to their own error page.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!ApiProblems.IsApi(httpContext.Request))
        {
            return false;
        }

        var (status, errors) = Describe(exception, httpContext);
        httpContext.Response.StatusCode = status;
        if (exception is ApiRequestException { RetryAfter: { } wait })
        {
            httpContext.Response.Headers.RetryAfter = ((long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var problem = new ProblemDetails { Status = status };
        if (errors is not null)
        {
            problem.Extensions[ApiProblems.ErrorsKey] = errors;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private (int Status, IReadOnlyList<ApiError>? Errors) Describe(Exception exception, HttpContext context)
    {
        switch (exception)
        {
            case ApiRequestException request:
                return (request.StatusCode, request.Errors);
            case DomainException domain:
                return (StatusFor(domain), [new ApiError(domain.Message, domain.Field)]);
            case DbUpdateConcurrencyException:
                // The use cases explain the races they expect; this is the safety net for the rest.
                return (StatusCodes.Status409Conflict, [new ApiError("Someone else changed this just now; reload and try again")]);
            case BadHttpRequestException badRequest:
                return (badRequest.StatusCode, ApiBindingErrors.Describe(badRequest, context));
            default:
                LogUnexpected(exception, context.Request.Method, context.Request.Path);
                return (StatusCodes.Status500InternalServerError, [new ApiError("Something went wrong")]);
        }
    }

    private static int StatusFor(DomainException exception) => exception switch
    {
        NotFoundException => StatusCodes.Status404NotFound,
        AccessDeniedException => StatusCodes.Status401Unauthorized,
        ConcurrencyConflictException => StatusCodes.Status409Conflict,
        PaymentDeclinedException => StatusCodes.Status402PaymentRequired,
        PaymentProviderUnavailableException => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure of {Method} {Path}")]
    private partial void LogUnexpected(Exception exception, string method, string path);
}
