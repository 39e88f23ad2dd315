using System.Globalization;
using System.Text;
using Ticketing.Infrastructure.Admin;

namespace Ticketing.Web.Admin;

/// <summary>
/// Writes the admin export: every listing and every order in one RFC 4180 table, one row per record,
/// told apart by the <c>record</c> column so that a spreadsheet can filter either.
/// </summary>
public static class AdminCsvExport
{
    public static readonly string[] Columns =
    [
        "record", "id", "title", "price", "status", "ticket_id", "order_id", "seller_id", "seller_email",
        "buyer_id", "buyer_email", "created_at", "expires_at", "reserved_until", "cancellation_reason",
        "event_date", "venue", "version",
    ];

    public static string Build(IEnumerable<AdminListing> listings, IEnumerable<AdminOrder> orders)
    {
        var csv = new StringBuilder();
        AppendRow(csv, Columns);
        foreach (var listing in listings)
        {
            var t = listing.Ticket;
            AppendRow(csv,
            [
                "listing", Id(t.Id), t.Title, Price(t.Price), t.Status, Id(t.Id), Id(t.OrderId), Id(t.UserId), listing.SellerEmail,
                null, null, Instant(listing.ListedAt), null, Instant(t.ReservedUntil), null,
                Instant(t.EventDate), t.Venue, Number(t.Version),
            ]);
        }

        foreach (var o in orders)
        {
            AppendRow(csv,
            [
                "order", Id(o.Id), o.TicketTitle, Price(o.Price), o.Status, Id(o.TicketId), Id(o.Id), null, null,
                Id(o.BuyerId), o.BuyerEmail, Instant(o.CreatedAt), Instant(o.ExpiresAt), null, o.CancellationReason,
                null, null, Number(o.Version),
            ]);
        }

        return csv.ToString();
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

    private static void AppendRow(StringBuilder csv, IReadOnlyList<string?> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }

            csv.Append(Escape(fields[i]));
        }

        // RFC 4180 line ends.
        csv.Append("\r\n");
    }

    private static string Id(Guid id) => id.ToString("D");

    private static string? Id(Guid? id) => id?.ToString("D");

    private static string Price(decimal price) => price.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? Instant(DateTimeOffset? instant) =>
        instant?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
