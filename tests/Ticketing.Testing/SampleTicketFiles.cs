using System.IO.Compression;
using System.Text;

namespace Ticketing.Testing;

/// <summary>Real files of each kind a seller may attach, and the kinds that must be refused.</summary>
public static class SampleTicketFiles
{
    /// <summary>A one-page PDF that viewers open, with its cross-reference table at the right offsets.</summary>
    public static byte[] Pdf(string text = "Admit one: test ticket")
    {
        var objects = new[]
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            Stream($"BT /F1 18 Tf 24 64 Td ({text}) Tj ET"),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        };
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(Encoding.ASCII.GetByteCount(pdf.ToString()));
            pdf.Append($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = Encoding.ASCII.GetByteCount(pdf.ToString());
        pdf.Append($"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append($"{offset:D10} 00000 n \n");
        }

        pdf.Append($"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }

    /// <summary>The PDF cut short, as an interrupted upload leaves it.</summary>
    public static byte[] TruncatedPdf() => Pdf()[..^60];

    /// <summary>A 2×2 grey PNG with correct chunk CRCs.</summary>
    public static byte[] Png()
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(output, "IHDR", [0, 0, 0, 2, 0, 0, 0, 2, 8, 0, 0, 0, 0]);
        using (var pixels = new MemoryStream())
        {
            using (var zlib = new ZLibStream(pixels, CompressionLevel.Optimal, leaveOpen: true))
            {
                zlib.Write([0, 0x80, 0x80, 0, 0x80, 0x80]);
            }

            Chunk(output, "IDAT", pixels.ToArray());
        }

        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>A JPEG's frame: start-of-image, a JFIF header, end-of-image.</summary>
    public static byte[] Jpeg() =>
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9];

    /// <summary>A Linux executable's first bytes, the file a "ticket.pdf" might really be.</summary>
    public static byte[] Executable()
    {
        var bytes = new byte[4096];
        new byte[] { 0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01 }.CopyTo(bytes, 0);
        return bytes;
    }

    /// <summary>A Windows executable ("MZ"), also with PDF text inside it, which must not fool the check.</summary>
    public static byte[] WindowsExecutable()
    {
        var bytes = new byte[4096];
        "MZ"u8.CopyTo(bytes);
        "%PDF-1.4 startxref 0 %%EOF"u8.CopyTo(bytes.AsSpan(200));
        return bytes;
    }

    private static string Stream(string content) => $"<< /Length {content.Length} >>\nstream\n{content}\nendstream";

    private static void Chunk(Stream output, string type, byte[] data)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write([(byte)(data.Length >> 24), (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length]);
        output.Write(typeBytes);
        output.Write(data);
        var crc = Crc32([.. typeBytes, .. data]);
        output.Write([(byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc]);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
