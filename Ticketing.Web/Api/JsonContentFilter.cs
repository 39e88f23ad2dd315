namespace Ticketing.Web.Api;

/// <summary>
/// State-changing calls take <c>application/json</c> only (any parameters, e.g. a charset). This
/// also keeps cross-site HTML forms, which cannot send JSON, from riding on the auth cookie.
/// A call without a body and without a content type (cancel) passes; sign-out asks for JSON itself.
/// </summary>
internal sealed class JsonContentFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return next(context);
        }

        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if ((hasBody || !string.IsNullOrEmpty(request.ContentType)) && !JsonBody.IsJson(request.ContentType))
        {
            throw ApiRequestException.Of(StatusCodes.Status415UnsupportedMediaType, "Content-Type must be application/json");
        }

        return next(context);
    }
}
