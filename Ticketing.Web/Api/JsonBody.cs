using System.Text;

namespace Ticketing.Web.Api;

/// <summary>
/// The raw request body, for the one endpoint that needs the exact bytes sent: the Stripe webhook,
/// whose signature covers them. Every other body is read by the framework's binding.
/// </summary>
internal static class JsonBody
{
    public static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > ApiJsonBody.MaxBytes)
        {
            throw ApiJsonBody.TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > ApiJsonBody.MaxBytes)
            {
                throw ApiJsonBody.TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
