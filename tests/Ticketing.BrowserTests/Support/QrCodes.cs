using StbImageSharp;
using ZXing;
using ZXing.Common;

namespace Ticketing.BrowserTests.Support;

/// <summary>Reads a QR code out of a screenshot, as a phone at the door would.</summary>
public static class QrCodes
{
    public static string Decode(byte[] png)
    {
        var image = ImageResult.FromMemory(png, ColorComponents.RedGreenBlueAlpha);
        var reader = new BarcodeReaderGeneric
        {
            Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.QR_CODE], TryHarder = true },
        };
        var result = reader.Decode(new RGBLuminanceSource(image.Data, image.Width, image.Height, RGBLuminanceSource.BitmapFormat.RGBA32));
        return result?.Text ?? throw new InvalidOperationException("No QR code could be read from the image.");
    }
}
