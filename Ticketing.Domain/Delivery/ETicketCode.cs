using System.Security.Cryptography;
using System.Text;

namespace Ticketing.Domain.Delivery;

/// <summary>
/// The code an e-ticket carries in its QR code and in words: an 80-bit random serial followed by an
/// 80-bit HMAC-SHA256 tag of it, written as 32 Crockford base-32 characters in groups of four
/// (<c>7K3M-…</c>). Nobody can guess a serial, and nobody without the key can make a tag, so a
/// forged or altered code is told apart from an unknown one without a database read. Typed codes
/// forgive case, spaces, dashes and the letters people confuse with digits (O, I, L).
/// </summary>
public static class ETicketCode
{
    public const int SerialBytes = 10;
    private const int TagBytes = 10;
    private const int CodeChars = (SerialBytes + TagBytes) * 8 / 5;
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static readonly byte[] Purpose = Encoding.ASCII.GetBytes("ticketing/e-ticket/v1:");

    /// <summary>A new random serial, as stored (lower-case hex).</summary>
    public static string NewSerial() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SerialBytes));

    /// <summary>The printable code for <paramref name="serial"/>, signed with <paramref name="key"/>.</summary>
    public static string Create(string serial, ReadOnlySpan<byte> key)
    {
        var bytes = new byte[SerialBytes + TagBytes];
        if (serial.Length != SerialBytes * 2 || !serial.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException("A serial is 20 hex digits.", nameof(serial));
        }

        Convert.FromHexString(serial).CopyTo(bytes, 0);

        Tag(bytes.AsSpan(0, SerialBytes), key).CopyTo(bytes.AsSpan(SerialBytes));
        var text = ToBase32(bytes);
        return string.Join('-', Enumerable.Range(0, CodeChars / 4).Select(i => text.Substring(i * 4, 4)));
    }

    /// <summary>Reads a scanned or typed code; the serial when it is one of ours.</summary>
    public static ETicketCodeReading Read(string? text, ReadOnlySpan<byte> key)
    {
        if (Normalize(text) is not { } normalized || FromBase32(normalized) is not { } bytes)
        {
            return new ETicketCodeReading(ETicketCodeStatus.Malformed, null);
        }

        var serial = bytes.AsSpan(0, SerialBytes);
        return CryptographicOperations.FixedTimeEquals(Tag(serial, key), bytes.AsSpan(SerialBytes))
            ? new ETicketCodeReading(ETicketCodeStatus.Valid, Convert.ToHexStringLower(serial))
            : new ETicketCodeReading(ETicketCodeStatus.Forged, null);
    }

    private static byte[] Tag(ReadOnlySpan<byte> serial, ReadOnlySpan<byte> key)
    {
        Span<byte> message = stackalloc byte[Purpose.Length + SerialBytes];
        Purpose.CopyTo(message);
        serial.CopyTo(message[Purpose.Length..]);
        return HMACSHA256.HashData(key, message)[..TagBytes];
    }

    private static string? Normalize(string? text)
    {
        if (text is null || text.Length > 200)
        {
            return null;
        }

        var builder = new StringBuilder(CodeChars);
        foreach (var c in text)
        {
            if (c is '-' or ' ' or '\t' or '\r' or '\n')
            {
                continue;
            }

            var upper = char.ToUpperInvariant(c);
            builder.Append(upper switch
            {
                'O' => '0',
                'I' or 'L' => '1',
                _ => upper,
            });
        }

        return builder.Length == CodeChars ? builder.ToString() : null;
    }

    private static string ToBase32(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(CodeChars);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                builder.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        return builder.ToString();
    }

    private static byte[]? FromBase32(string text)
    {
        var bytes = new byte[SerialBytes + TagBytes];
        int buffer = 0, bits = 0, index = 0;
        foreach (var c in text)
        {
            var value = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                return null;
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bytes[index++] = (byte)(buffer >> (bits - 8));
                bits -= 8;
            }
        }

        return bytes;
    }
}

public enum ETicketCodeStatus
{
    /// <summary>Not a code at all: wrong length or characters.</summary>
    Malformed,

    /// <summary>Shaped like a code, but its tag is not ours: made up, or altered.</summary>
    Forged,

    Valid,
}

public sealed record ETicketCodeReading(ETicketCodeStatus Status, string? Serial);
