using System.Net;
using System.Text;
using Ticketing.Testing;
using Ticketing.Web.Admin;

namespace Ticketing.Web.Tests.Admin;

/// <summary>
/// The export of a market of more than 10,000 rows is streamed: bytes leave while the database is
/// still being read, and the writer never holds more than its buffer's worth of rows. Shown by
/// counting, not by timing: what had been read from the database at each write, and whether the
/// query's reader was still open.
/// </summary>
public sealed class AdminCsvStreamingTests(AdminMarketFixture market) : IClassFixture<AdminMarketFixture>
{
    /// <summary>Rows the writer may have read but not yet written: its 8K-character buffer holds a few dozen.</summary>
    private const int MaxRowsHeld = 64;

    [Fact]
    public async Task Write_PassesEachRowOnAsItIsRead_HoldingOnlyItsBuffer()
    {
        var expectedRows = market.Listed.Count() + market.Seeded.Count(s => s.Order is not null);
        Assert.True(expectedRows > 10_000, "the export must be tested at more than 10,000 rows");
        using var sql = new SqlRecorder(market.App.DatabasePath);
        var read = 0;
        var lineEnds = 0;
        var writes = new List<(int Read, int LinesWritten, bool QueryFinished)>();
        var output = new WatchedStream(bytes =>
        {
            lineEnds += bytes.Count(b => b == (byte)'\n');
            writes.Add((read, lineEnds, ListingQuery(sql)?.Finished ?? false));
        });

        sql.Start();
        await AdminCsvExport.WriteAsync(output, Counted(market.Dashboard.StreamListingsAsync()), Counted(market.Dashboard.StreamOrdersAsync()));

        // The first rows went out while the listings query was still being read, long before its end.
        var firstRows = writes.First(w => w.LinesWritten >= 2);
        Assert.False(firstRows.QueryFinished);
        Assert.InRange(firstRows.Read, 1, MaxRowsHeld);
        Assert.True(ListingQuery(sql)!.Finished);

        // At every write, what was read but not yet written (the header aside) is at most a buffer's worth.
        Assert.True(writes.Count > expectedRows / MaxRowsHeld, $"only {writes.Count} writes for {expectedRows} rows");
        Assert.All(writes, w => Assert.InRange(w.Read - (w.LinesWritten - 1), 0, MaxRowsHeld));
        Assert.Equal(expectedRows, read);

        var rows = AdminCsvExportTests.ParseCsv(Encoding.UTF8.GetString(output.Written[3..]));
        Assert.Equal(expectedRows + 1, rows.Count);
        Assert.Equal(
            market.Listed.Select(s => s.Ticket.Id.ToString()).Order(),
            rows.Where(r => r[0] == "listing").Select(r => r[1]).Order());
        Assert.Equal(
            market.Seeded.Where(s => s.Order is not null).Select(s => s.Order!.Id.ToString()).Order(),
            rows.Where(r => r[0] == "order").Select(r => r[1]).Order());

        async IAsyncEnumerable<T> Counted<T>(IAsyncEnumerable<T> source)
        {
            await foreach (var item in source)
            {
                read++;
                yield return item;
            }
        }
    }

    [Fact]
    public async Task Export_ReachesTheClientWhileTheQueryIsStillRunning_AndHoldsEveryRow()
    {
        using var client = await AdminExportEndpointTests.App.SignedInClientAsync(market.App, TicketingApp.AdminEmail);
        // The request runs in the server's own flow: record every command, and find the export's by its shape.
        using var sql = new SqlRecorder(market.App.DatabasePath, thisFlowOnly: false);
        sql.Start();

        using var response = await client.GetAsync(AdminExportEndpoints.Path, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentLength);
        await using var body = await response.Content.ReadAsStreamAsync();

        // The response flows back only as fast as it is read: after its first 16 kB the listings
        // query (some 2 MB of rows) cannot have been read to its end.
        var first = new byte[16 * 1024];
        await body.ReadExactlyAsync(first);
        Assert.NotNull(ListingQuery(sql));
        Assert.False(ListingQuery(sql)!.Finished);

        using var rest = new MemoryStream();
        await body.CopyToAsync(rest);
        Assert.True(ListingQuery(sql)!.Finished);
        var text = Encoding.UTF8.GetString([.. first, .. rest.ToArray()]);
        var rows = AdminCsvExportTests.ParseCsv(text.TrimStart('\uFEFF'));
        Assert.Equal(market.Listed.Count(), rows.Count(r => r[0] == "listing"));
        Assert.Equal(market.Seeded.Count(s => s.Order is not null), rows.Count(r => r[0] == "order"));
    }

    /// <summary>The export's read of every listing: all of them, joined to their sellers, in order, no LIMIT.</summary>
    private static RecordedCommand? ListingQuery(SqlRecorder sql) =>
        sql.Commands.FirstOrDefault(c =>
            c.Text.Contains("FROM \"tickets\"", StringComparison.Ordinal)
            && c.Text.Contains("ORDER BY", StringComparison.Ordinal)
            && !c.Text.Contains("LIMIT", StringComparison.Ordinal));

    /// <summary>A write-only, unseekable stream (like a response body) that reports every write.</summary>
    private sealed class WatchedStream(Action<byte[]> onWrite) : Stream
    {
        private readonly MemoryStream _written = new();

        public byte[] Written => _written.ToArray();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            _written.Write(buffer, offset, count);
            onWrite(buffer[offset..(offset + count)]);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var bytes = buffer.ToArray();
            Write(bytes, 0, bytes.Length);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
