using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Delivery;
using Ticketing.Infrastructure.Identity;
using ZXing;
using ZXing.QrCode;

namespace Ticketing.Testing;

/// <summary>What a camera pointed at a QR code sees: the code drawn dark on a light, uneven background.</summary>
public static class CameraFrames
{
    /// <summary>The code printed on the order's e-ticket, as its buyer reads it on the order page.</summary>
    public static async Task<string> CodeOfAsync(this TicketingApp app, Guid orderId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var view = await scope.ServiceProvider.GetRequiredService<OrderDelivery>().FindAsync(new Actor(Guid.Empty, IsAdmin: true), orderId);
        return view!.Code;
    }

    /// <summary>What the e-ticket's QR code holds: the printed code without its dashes.</summary>
    public static string InQrCode(string printedCode) => printedCode.Replace("-", string.Empty, StringComparison.Ordinal);

    /// <summary>One frame as grey bytes, row by row, with the code's modules <paramref name="moduleSize"/> pixels wide, centred.</summary>
    public static byte[] Grey(string? text, int width, int height, int moduleSize = 4)
    {
        var frame = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                // A gentle light gradient, as a sheet of paper under a lamp.
                frame[(y * width) + x] = (byte)(200 + ((x + y) * 40 / (width + height)));
            }
        }

        if (text is null)
        {
            return frame;
        }

        var modules = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0);
        var (left, top) = ((width - (modules.Width * moduleSize)) / 2, (height - (modules.Height * moduleSize)) / 2);
        if (left < 0 || top < 0)
        {
            throw new ArgumentException($"A {modules.Width}-module code at {moduleSize} px does not fit a {width} × {height} frame.");
        }

        for (var my = 0; my < modules.Height; my++)
        {
            for (var mx = 0; mx < modules.Width; mx++)
            {
                var shade = modules[mx, my] ? (byte)30 : (byte)235;
                for (var dy = 0; dy < moduleSize; dy++)
                {
                    Array.Fill(frame, shade, ((top + (my * moduleSize) + dy) * width) + left + (mx * moduleSize), moduleSize);
                }
            }
        }

        return frame;
    }

    /// <summary>
    /// The frame as a YUV4MPEG2 video (grey: U and V at their middle), which Chromium plays as its
    /// camera with <c>--use-file-for-fake-video-capture</c>.
    /// </summary>
    public static void WriteY4m(string path, byte[] grey, int width, int height, int frames = 2)
    {
        using var file = File.Create(path);
        file.Write(System.Text.Encoding.ASCII.GetBytes($"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n"));
        var chroma = new byte[(width / 2) * (height / 2)];
        Array.Fill(chroma, (byte)128);
        for (var i = 0; i < frames; i++)
        {
            file.Write("FRAME\n"u8);
            file.Write(grey);
            file.Write(chroma);
            file.Write(chroma);
        }
    }
}
