using System.Buffers.Binary;
using Ticketing.Domain.Common;

namespace Ticketing.Domain.Delivery;

/// <summary>The kinds of ticket file a seller may attach: what buyers can open on any phone.</summary>
public enum TicketFileKind
{
    Pdf,
    Png,
    Jpeg,
}

public static class TicketFileKinds
{
    public static string ContentType(this TicketFileKind kind) => kind switch
    {
        TicketFileKind.Pdf => "application/pdf",
        TicketFileKind.Png => "image/png",
        TicketFileKind.Jpeg => "image/jpeg",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string Extension(this TicketFileKind kind) => kind switch
    {
        TicketFileKind.Pdf => ".pdf",
        TicketFileKind.Png => ".png",
        TicketFileKind.Jpeg => ".jpg",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}

/// <summary>
/// Decides what a file is from its bytes, never from its name or the type a browser claims: a
/// renamed executable is refused however it is called. Beyond the magic bytes the structure must be
/// whole (a PDF ends with its <c>%%EOF</c> marker, a PNG's chunks run to <c>IEND</c>, a JPEG ends with
/// its end-of-image marker), so that a truncated upload is refused instead of handed to a buyer who
/// paid for it.
/// </summary>
public static class TicketFileCheck
{
    public const int MaxBytes = 5 * 1024 * 1024;

    public const string Field = "file";

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The kind of a whole, acceptable ticket file; throws with the reason otherwise.</summary>
    public static TicketFileKind Inspect(ReadOnlySpan<byte> content)
    {
        var rule = new TicketFileMustBeWholeRule(Problem(content, out var kind));
        if (rule.IsBroken())
        {
            throw new BusinessRuleViolationException(rule);
        }

        return kind;
    }

    /// <summary>Why the file cannot be a ticket; null when it can (and <paramref name="kind"/> says what it is).</summary>
    public static string? Problem(ReadOnlySpan<byte> content, out TicketFileKind kind)
    {
        kind = default;
        if (content.IsEmpty)
        {
            return "The file is empty";
        }

        if (content.Length > MaxBytes)
        {
            return TooLargeMessage;
        }

        if (content.StartsWith("%PDF-"u8))
        {
            kind = TicketFileKind.Pdf;
            return IsWholePdf(content) ? null : "The PDF is incomplete or damaged: it does not end the way a PDF does. Upload the original file again.";
        }

        if (content.StartsWith(PngSignature))
        {
            kind = TicketFileKind.Png;
            return IsWholePng(content) ? null : "The PNG image is incomplete or damaged. Upload the original file again.";
        }

        if (content.Length >= 3 && content[0] == 0xFF && content[1] == 0xD8 && content[2] == 0xFF)
        {
            kind = TicketFileKind.Jpeg;
            return IsWholeJpeg(content) ? null : "The JPEG image is incomplete or damaged. Upload the original file again.";
        }

        return UnsupportedMessage;
    }

    public static string TooLargeMessage => $"The file must be at most {MaxBytes / (1024 * 1024)} MB";

    public static string UnsupportedMessage => "The ticket must be a PDF, PNG or JPEG file; this file's content is none of them";

    /// <summary>A PDF ends with <c>%%EOF</c> (and an end-of-line or padding after it), preceded by its cross-reference offset.</summary>
    private static bool IsWholePdf(ReadOnlySpan<byte> content)
    {
        var tail = content[Math.Max(0, content.Length - 1024)..];
        var end = tail.LastIndexOf("%%EOF"u8);
        if (end < 0 || !tail[(end + 5)..].Trim("\r\n\t \0"u8).IsEmpty)
        {
            return false;
        }

        return tail[..end].LastIndexOf("startxref"u8) >= 0;
    }

    /// <summary>Walks the chunks: each must fit, the first is IHDR and the last is IEND, ending the file.</summary>
    private static bool IsWholePng(ReadOnlySpan<byte> content)
    {
        var position = PngSignature.Length;
        var first = true;
        while (position + 12 <= content.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(content[position..]);
            var type = content.Slice(position + 4, 4);
            if (length > int.MaxValue || position + 12L + length > content.Length)
            {
                return false;
            }

            if (first && !type.SequenceEqual("IHDR"u8))
            {
                return false;
            }

            first = false;
            position += 12 + (int)length;
            if (type.SequenceEqual("IEND"u8))
            {
                return position == content.Length;
            }
        }

        return false;
    }

    /// <summary>A JPEG starts with SOI and ends with EOI; some writers pad after EOI with zeros.</summary>
    private static bool IsWholeJpeg(ReadOnlySpan<byte> content)
    {
        var trimmed = content.TrimEnd((byte)0);
        return trimmed.Length >= 4 && trimmed[^2] == 0xFF && trimmed[^1] == 0xD9;
    }
}

public sealed class TicketFileMustBeWholeRule(string? problem)
    : BusinessRule(problem is not null, problem ?? string.Empty, TicketFileCheck.Field);
