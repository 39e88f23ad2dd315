using System.Globalization;
using System.Text;
using Ticketing.Infrastructure.Admin;

namespace Ticketing.Web.Admin;

/// <summary>
/// Writes the admin export: every listing and every order in one RFC 4180 table, one row per record,
/// told apart by the <c>record</c> column so that a spreadsheet can filter either. Streamed: rows go
/// out as the database yields them.
/// </summary>
public static class AdminCsvExport
{
    /// <summary>Characters gathered before they go to the response: a few dozen rows at a time.</summary>
    public const int BufferSize = 8 * 1024;

    public static readonly string[] Columns =
    [
        "record", "id", "title", "price", "status", "ticket_id", "order_id", "seller_id", "seller_email",
        "buyer_id", "buyer_email", "created_at", "expires_at", "reserved_until", "cancellation_reason",
        "event_date", "venue", "version",
    ];

    /// <summary>
    /// Writes the file to <paramref name="output"/> as the rows are read: a byte-order mark (so that
    /// spreadsheet programs read UTF-8 rather than a legacy code page), the header, every listing, then
    /// every order. Only the writer's buffer is held, however large the export.
    /// </summary>
    public static async Task WriteAsync(
        Stream output, IAsyncEnumerable<AdminListing> listings, IAsyncEnumerable<AdminOrder> orders, CancellationToken cancellationToken = default)
    {
        await output.WriteAsync(Encoding.UTF8.Preamble.ToArray(), cancellationToken);
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), BufferSize, leaveOpen: true);
        var row = new StringBuilder();
        await WriteRowAsync(writer, row, Columns, cancellationToken);
        await foreach (var listing in listings.WithCancellation(cancellationToken))
        {
            var t = listing.Ticket;
            await WriteRowAsync(writer, row,
            [
                "listing", Id(t.Id), t.Title, Price(t.Price), t.Status, Id(t.Id), Id(t.OrderId), Id(t.UserId), listing.SellerEmail,
                null, null, Instant(listing.ListedAt), null, Instant(t.ReservedUntil), null,
                Instant(t.EventDate), t.Venue, Number(t.Version),
            ], cancellationToken);
        }

        await foreach (var o in orders.WithCancellation(cancellationToken))
        {
            await WriteRowAsync(writer, row,
            [
                "order", Id(o.Id), o.TicketTitle, Price(o.Price), o.Status, Id(o.TicketId), Id(o.Id), null, null,
                Id(o.BuyerId), o.BuyerEmail, Instant(o.CreatedAt), Instant(o.ExpiresAt), null, o.CancellationReason,
                null, null, Number(o.Version),
            ], cancellationToken);
        }

        await writer.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// One field: quoted when it holds a comma, quote or line break (quotes doubled). Text that a
    /// spreadsheet would run as a formula (=, +, -, @, tab, CR first) is prefixed with an apostrophe,
    /// since titles and venues are typed by any seller (OWASP "CSV injection").
    /// </summary>
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }

    private static async Task WriteRowAsync(StreamWriter writer, StringBuilder row, IReadOnlyList<string?> fields, CancellationToken cancellationToken)
    {
        row.Clear();
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                row.Append(',');
            }

            row.Append(Escape(fields[i]));
        }

        // RFC 4180 line ends.
        row.Append("\r\n");

        // The writer passes its buffer on to the response whenever it fills.
        await writer.WriteAsync(row, cancellationToken);
    }

    private static string Id(Guid id) => id.ToString("D");

    private static string? Id(Guid? id) => id?.ToString("D");

    private static string Price(decimal price) => price.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? Instant(DateTimeOffset? instant) =>
        instant?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
