using StbImageSharp;
using Ticketing.Web.Scan;

namespace Ticketing.BrowserTests.Support;

/// <summary>Reads a QR code out of a screenshot, with the reader the door's camera uses on the server.</summary>
public static class QrCodes
{
    public static string Decode(byte[] png)
    {
        var image = ImageResult.FromMemory(png, ColorComponents.Grey);
        return QrFrames.Read(image.Data, image.Width, image.Height)
            ?? throw new InvalidOperationException($"No QR code could be read from the {image.Width} × {image.Height} image.");
    }
}
