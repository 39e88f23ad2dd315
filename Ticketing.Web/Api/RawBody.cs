using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace Ticketing.Web.Api;

/// <summary>
/// A body the endpoint reads itself instead of the binding: the Stripe webhook's JSON, whose
/// signature covers the exact bytes sent, and an uploaded ticket file. A body that claims or turns
/// out to be larger than its limit is refused before anything is kept.
/// </summary>
internal static class RawBody
{
    /// <summary>The webhook's JSON, under the limit of every JSON body (<see cref="ApiJsonBody.MaxBytes"/>).</summary>
    public static async Task<string> ReadJsonTextAsync(HttpRequest request, CancellationToken cancellationToken) =>
        Encoding.UTF8.GetString(await ReadAsync(request, ApiJsonBody.MaxBytes, ApiJsonBody.TooLarge, cancellationToken));

    public static async Task<byte[]> ReadAsync(HttpRequest request, long maxBytes, Func<ApiRequestException> tooLarge, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw tooLarge();
        }

        // Kestrel enforces the same limit on bodies of unknown length (chunked); in-process hosts do not.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw tooLarge();
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw tooLarge();
        }

        return buffer.ToArray();
    }
}
