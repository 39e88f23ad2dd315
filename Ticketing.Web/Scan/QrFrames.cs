using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace Ticketing.Web.Scan;

/// <summary>
/// Reads a QR code from one camera frame, for browsers that cannot read it themselves (those without
/// <c>BarcodeDetector</c>: Safari on iPhones, Firefox, Chrome on Linux and Windows). The scan page
/// sends the frame as grey pixels, one byte each, row by row, already shrunk to at most
/// <see cref="MaxSide"/> on its longer side; ZXing finds the code in them.
/// </summary>
public static class QrFrames
{
    public const int MinSide = 32;

    public const int MaxSide = 640;

    private static readonly Dictionary<DecodeHintType, object> Hints = new()
    {
        [DecodeHintType.TRY_HARDER] = true,
        [DecodeHintType.POSSIBLE_FORMATS] = new List<BarcodeFormat> { BarcodeFormat.QR_CODE },
    };

    /// <summary>Why a frame of this size cannot be read, or null when it can.</summary>
    public static string? Refuse(int width, int height, int bytes) =>
        width is < MinSide or > MaxSide || height is < MinSide or > MaxSide
            ? $"A frame is {MinSide} to {MaxSide} pixels on each side"
            : bytes != width * height
                ? "A frame has one grey byte per pixel: width × height bytes"
                : null;

    /// <summary>The text of the QR code in the frame, or null when none can be read in it.</summary>
    public static string? Read(byte[] grey, int width, int height)
    {
        var source = new PlanarYUVLuminanceSource(grey, width, height, 0, 0, width, height, false);
        try
        {
            return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), Hints)?.Text;
        }
        catch (Exception ex) when (ex is ReaderException or ArgumentException)
        {
            return null;
        }
    }
}
