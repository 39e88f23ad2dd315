using Microsoft.AspNetCore.Http.Metadata;

namespace Ticketing.Web.Api;

/// <summary>
/// Marks an endpoint whose JSON body the binding reads: its type, for naming a field that holds a
/// wrong value (<see cref="ApiBindingErrors"/>), and its size limit, 1 MB, far above any real
/// request. Kestrel applies the limit while the body streams in; a declared <c>Content-Length</c>
/// over it is refused by <see cref="CheckAsync"/> before anything reads a byte (the in-memory test
/// host applies no limit of its own).
/// </summary>
internal sealed class ApiJsonBody(Type requestType) : IRequestSizeLimitMetadata
{
    public const int MaxBytes = 1024 * 1024;

    public Type RequestType { get; } = requestType;

    public long? MaxRequestBodySize => MaxBytes;

    public static ApiRequestException TooLarge() =>
        ApiRequestException.Of(StatusCodes.Status413PayloadTooLarge, $"The request body must be at most {MaxBytes / (1024 * 1024)} MB");

    public static Task CheckAsync(HttpContext context, RequestDelegate next) =>
        context.GetEndpoint()?.Metadata.GetMetadata<ApiJsonBody>() is not null && context.Request.ContentLength > MaxBytes
            ? throw TooLarge()
            : next(context);

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
