using Ticketing.Web.Api;

namespace Ticketing.Web.Scan;

public static class CameraFrameEndpoints
{
    public const string Path = "/scan/frame";

    /// <summary>
    /// <c>POST /scan/frame?width=W&amp;height=H</c> with W × H grey bytes: <c>{"code": "…"}</c>, or
    /// <c>{"code": null}</c> when the frame holds no readable QR code. For the scan page's camera, so
    /// for scanners and admins only; it reads the frame and keeps nothing.
    /// </summary>
    internal static async Task<IResult> ReadAsync(HttpRequest request, string? width, string? height, CancellationToken cancellationToken)
    {
        byte[] grey;
        try
        {
            grey = await RawBody.ReadAsync(request, QrFrames.MaxSide * QrFrames.MaxSide, TooLarge, cancellationToken);
        }
        catch (ApiRequestException)
        {
            return Refused(StatusCodes.Status413PayloadTooLarge, $"A frame is at most {QrFrames.MaxSide} × {QrFrames.MaxSide} pixels");
        }

        // Read as text: a malformed size is the caller's mistake, answered like any other bad size.
        var (w, h) = (int.TryParse(width, out var parsedWidth) ? parsedWidth : 0, int.TryParse(height, out var parsedHeight) ? parsedHeight : 0);
        if (QrFrames.Refuse(w, h, grey.Length) is { } why)
        {
            return Refused(StatusCodes.Status400BadRequest, why);
        }

        return TypedResults.Ok(new FrameReading(QrFrames.Read(grey, w, h)));
    }

    private static ApiRequestException TooLarge() => new(StatusCodes.Status413PayloadTooLarge, []);

    private static IResult Refused(int status, string message) =>
        TypedResults.Json(new { errors = new[] { new { message } } }, statusCode: status);

    private sealed record FrameReading(string? Code);
}
