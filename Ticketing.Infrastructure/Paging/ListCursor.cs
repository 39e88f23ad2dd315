using System.Buffers.Binary;
using System.Buffers.Text;

namespace Ticketing.Infrastructure.Paging;

/// <summary>
/// A position in a list ordered by creation time, then id (creation times can tie), handed to API
/// clients as an opaque token. It grants nothing: a forged one that decodes is just another
/// position, and the list behind it is still filtered for the caller.
/// </summary>
public readonly record struct ListCursor(DateTimeOffset CreatedAt, Guid Id)
{
    /// <summary>The first byte names the list (and the format), so that one list's token is refused by another.</summary>
    public const byte Tickets = (byte)'t';

    public const byte Orders = (byte)'o';

    private const int ByteLength = 1 + sizeof(long) + 16;

    // 25 bytes are 34 characters of base64url; anything much longer is not a cursor and is not decoded.
    private const int MaxTextLength = 64;

    public string Encode(byte list)
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        bytes[0] = list;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], CreatedAt.UtcTicks);
        Id.TryWriteBytes(bytes[(1 + sizeof(long))..]);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string? text, byte list, out ListCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > MaxTextLength)
        {
            return false;
        }

        // TryDecode throws on a character outside the alphabet: check the text first.
        Span<byte> bytes = stackalloc byte[MaxTextLength];
        if (!Base64Url.IsValid(text, out var length) || length != ByteLength
            || !Base64Url.TryDecodeFromChars(text, bytes, out var written) || written != ByteLength || bytes[0] != list)
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        cursor = new ListCursor(new DateTimeOffset(ticks, TimeSpan.Zero), new Guid(bytes.Slice(1 + sizeof(long), 16)));
        return true;
    }
}
