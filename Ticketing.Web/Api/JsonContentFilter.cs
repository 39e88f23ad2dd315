using Microsoft.Net.Http.Headers;

namespace Ticketing.Web.Api;

/// <summary>
/// State-changing calls take <c>application/json</c> only (any parameters, e.g. a charset). This
/// also keeps cross-site HTML forms, which cannot send JSON, from riding on the auth cookie.
/// The binding refuses other content types for calls with a body; this filter does it for those
/// without one (cancel). A call without a body and without a content type passes; sign-out asks for JSON itself.
/// </summary>
internal sealed class JsonContentFilter : IEndpointFilter
{
    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return next(context);
        }

        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if ((hasBody || !string.IsNullOrEmpty(request.ContentType)) && !IsJson(request.ContentType))
        {
            throw ApiRequestException.Of(StatusCodes.Status415UnsupportedMediaType, ApiBindingErrors.JsonOnly);
        }

        return next(context);
    }
}
