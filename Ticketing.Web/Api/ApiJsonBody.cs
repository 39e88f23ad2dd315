using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace Ticketing.Web.Api;

/// <summary>
/// Marks an endpoint whose JSON body the binding reads: its type, for naming a field that holds a
/// wrong value (<see cref="ApiBindingErrors"/>), and its size limit, 1 MB, far above any real
/// request. Kestrel applies the limit while the body streams in; a declared <c>Content-Length</c>
/// over it is refused by <see cref="CheckAsync"/> before anything reads a byte (the in-memory test
/// host applies no limit of its own), which also keeps an unknown charset label from failing the read.
/// </summary>
internal sealed class ApiJsonBody(Type requestType) : IRequestSizeLimitMetadata
{
    public const int MaxBytes = 1024 * 1024;

    public Type RequestType { get; } = requestType;

    public long? MaxRequestBodySize => MaxBytes;

    public static ApiRequestException TooLarge() =>
        ApiRequestException.Of(StatusCodes.Status413PayloadTooLarge, $"The request body must be at most {MaxBytes / (1024 * 1024)} MB");

    public static Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<ApiJsonBody>() is null)
        {
            return next(context);
        }

        var request = context.Request;
        if (request.ContentLength > MaxBytes)
        {
            throw TooLarge();
        }

        // JSON is UTF-8 (RFC 8259) and the spec takes any charset parameter; the binding would fail
        // on one that names no encoding it knows, so such a label is dropped and the body read as UTF-8.
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.Charset.HasValue && !IsKnownEncoding(type.Charset.Value))
        {
            type.Charset = null;
            request.ContentType = type.ToString();
        }

        return next(context);
    }

    private static bool IsKnownEncoding(string charset)
    {
        try
        {
            _ = Encoding.GetEncoding(charset.Trim('"'));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// The binding's own accepts-metadata would take part in routing: a request in another content
    /// type would then miss the endpoint and fall through to the API's 404, instead of reaching the
    /// binding and getting its 415. The body is described for OpenAPI by <see cref="ApiMetadata.DescribesBody{TRequest}"/>.
    /// </summary>
    public static void RemoveContentTypeRouting(EndpointBuilder endpoint)
    {
        foreach (var accepts in endpoint.Metadata.OfType<IAcceptsMetadata>().ToList())
        {
            endpoint.Metadata.Remove(accepts);
        }
    }
}
