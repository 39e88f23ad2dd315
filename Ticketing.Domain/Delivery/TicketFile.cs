using Ticketing.Domain.Common;
using Ticketing.Domain.Tickets;

namespace Ticketing.Domain.Delivery;

/// <summary>
/// The ticket file a seller attached to a listing. Its bytes live in the file store under
/// <see cref="StorageKey"/>, never under the web root; only the buyer of a paid order (and admins)
/// and the seller can read them.
/// </summary>
public sealed class TicketFile
{
    public const int MaxFileNameLength = 100;

    private TicketFile()
    {
        FileName = string.Empty;
        Sha256 = string.Empty;
        StorageKey = string.Empty;
    }

    public Guid TicketId { get; private init; }

    public Guid SellerId { get; private init; }

    /// <summary>The seller's name for the file, cleaned, with the extension of what the file really is.</summary>
    public string FileName { get; private set; }

    public TicketFileKind Kind { get; private set; }

    public int Size { get; private set; }

    /// <summary>Lower-case hex SHA-256 of the content, so that a buyer or an admin can tell two copies apart.</summary>
    public string Sha256 { get; private set; }

    /// <summary>Where the store keeps the bytes: a fresh key per upload, so a replaced file never shows through.</summary>
    public string StorageKey { get; private set; }

    public DateTimeOffset AttachedAt { get; private set; }

    public static TicketFile Attach(Guid ticketId, Guid sellerId, string? fileName, TicketFileKind kind, int size, string sha256, string storageKey, DateTimeOffset now) => new()
    {
        TicketId = ticketId,
        SellerId = sellerId,
        FileName = CleanName(fileName, kind),
        Kind = kind,
        Size = size,
        Sha256 = sha256,
        StorageKey = storageKey,
        AttachedAt = now,
    };

    /// <summary>The seller replaced the file; the old bytes are deleted once this is saved.</summary>
    public void Replace(string? fileName, TicketFileKind kind, int size, string sha256, string storageKey, DateTimeOffset now)
    {
        FileName = CleanName(fileName, kind);
        Kind = kind;
        Size = size;
        Sha256 = sha256;
        StorageKey = storageKey;
        AttachedAt = now;
    }

    /// <summary>A file name safe to put in a download header: no folders, no control characters, the real extension.</summary>
    public static string CleanName(string? fileName, TicketFileKind kind)
    {
        var name = Path.GetFileNameWithoutExtension((fileName ?? string.Empty).Replace('\\', '/').Split('/')[^1]);
        var cleaned = new string(name.Where(c => !char.IsControl(c) && c is not ('"' or '<' or '>' or '|' or ':' or '*' or '?')).ToArray()).Trim().Trim('.');
        if (cleaned.Length == 0)
        {
            cleaned = "ticket";
        }

        var extension = kind.Extension();
        if (cleaned.Length > MaxFileNameLength - extension.Length)
        {
            cleaned = cleaned[..(MaxFileNameLength - extension.Length)];
        }

        return cleaned + extension;
    }
}

/// <summary>
/// While the listing is on the market the seller may attach, replace or remove its file. Once a buyer
/// holds it only a missing file may be attached (the seller sends it after the sale): what a buyer
/// reserved or paid for is never swapped or taken away.
/// </summary>
public sealed class TicketFileMayChangeRule(TicketStatus status, bool hasFile) : BusinessRule(
    status != TicketStatus.Available && hasFile,
    status == TicketStatus.Sold
        ? "The ticket is sold: its file can no longer be replaced or removed"
        : "A buyer has reserved this ticket: its file can no longer be replaced or removed");
