using System.Text;
using Ticketing.Infrastructure.Admin;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Web.Admin;

namespace Ticketing.Web.Tests.Admin;

public sealed class AdminCsvExportTests
{
    private static readonly DateTimeOffset ListedAt = new(2026, 3, 5, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Coldplay", "Coldplay")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("Rock, Paper", "\"Rock, Paper\"")]
    [InlineData("The \"Best\" Night", "\"The \"\"Best\"\" Night\"")]
    [InlineData("Line one\nLine two", "\"Line one\nLine two\"")]
    [InlineData("Carriage\r\nreturn", "\"Carriage\r\nreturn\"")]
    public void Escape_QuotesFieldsThatNeedIt_AndDoublesQuotes(string? value, string expected) =>
        Assert.Equal(expected, AdminCsvExport.Escape(value));

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\"")]
    [InlineData("+1 gig", "'+1 gig")]
    [InlineData("-5 tickets", "'-5 tickets")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tTabbed", "'\tTabbed")]
    public void Escape_DefusesTextASpreadsheetWouldRunAsAFormula(string value, string expected) =>
        Assert.Equal(expected, AdminCsvExport.Escape(value));

    [Fact]
    public async Task Write_PutsAHeaderThenOneRowPerListingAndOrder_WithCrLfLineEnds()
    {
        var ticketId = Guid.NewGuid();
        var orderId = Guid.NewGuid();
        var sellerId = Guid.NewGuid();
        var buyerId = Guid.NewGuid();
        var listing = new AdminListing(
            new TicketView(ticketId, "Rock, \"Live\"\nTour", 1250.5m, sellerId, 2, "reserved", orderId, ListedAt.AddMinutes(15), null, "O2 Arena", null),
            "seller@example.com",
            ListedAt);
        var order = new AdminOrder(orderId, ticketId, "Rock, \"Live\"\nTour", 1250.5m, buyerId, "buyer@example.com", "cancelled", "admin", ListedAt, ListedAt.AddMinutes(15), 1);

        var csv = await WriteAsync([listing], [order]);

        Assert.EndsWith("\r\n", csv, StringComparison.Ordinal);
        var rows = ParseCsv(csv);
        Assert.Equal(3, rows.Count);
        Assert.Equal(AdminCsvExport.Columns, rows[0]);
        var listingRow = ToRecord(rows[0], rows[1]);
        Assert.Equal("listing", listingRow["record"]);
        Assert.Equal(ticketId.ToString(), listingRow["id"]);
        Assert.Equal("Rock, \"Live\"\nTour", listingRow["title"]);
        Assert.Equal("1250.50", listingRow["price"]);
        Assert.Equal("reserved", listingRow["status"]);
        Assert.Equal("seller@example.com", listingRow["seller_email"]);
        Assert.Equal("2026-03-05T12:15:00Z", listingRow["reserved_until"]);
        Assert.Equal("O2 Arena", listingRow["venue"]);
        var orderRow = ToRecord(rows[0], rows[2]);
        Assert.Equal("order", orderRow["record"]);
        Assert.Equal(orderId.ToString(), orderRow["id"]);
        Assert.Equal(ticketId.ToString(), orderRow["ticket_id"]);
        Assert.Equal("buyer@example.com", orderRow["buyer_email"]);
        Assert.Equal("cancelled", orderRow["status"]);
        Assert.Equal("admin", orderRow["cancellation_reason"]);
        Assert.Equal("2026-03-05T12:00:00Z", orderRow["created_at"]);
        Assert.Equal("2026-03-05T12:15:00Z", orderRow["expires_at"]);
    }

    [Fact]
    public async Task Write_WithNothingToExport_PutsTheHeaderOnly()
    {
        var rows = ParseCsv(await WriteAsync([], []));

        Assert.Equal([AdminCsvExport.Columns], rows);
    }

    /// <summary>The file as text, after checking that it starts with UTF-8's byte-order mark.</summary>
    private static async Task<string> WriteAsync(AdminListing[] listings, AdminOrder[] orders)
    {
        using var output = new MemoryStream();
        await AdminCsvExport.WriteAsync(output, listings.ToAsyncEnumerable(), orders.ToAsyncEnumerable());
        var bytes = output.ToArray();
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        return Encoding.UTF8.GetString(bytes[3..]);
    }

    private static Dictionary<string, string> ToRecord(string[] header, string[] row)
    {
        Assert.Equal(header.Length, row.Length);
        return header.Zip(row).ToDictionary(p => p.First, p => p.Second);
    }

    /// <summary>An RFC 4180 reader, independent of the writer under test.</summary>
    internal static List<string[]> ParseCsv(string csv)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        Assert.False(quoted, "unterminated quoted field");
        Assert.True(field.Length == 0 && row.Count == 0, "the last row must end with CRLF");
        return rows;
    }
}
