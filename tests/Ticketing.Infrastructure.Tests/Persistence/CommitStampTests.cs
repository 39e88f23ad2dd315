using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Persistence;

/// <summary>The SQLite stamp sees every commit made by anyone else on the file, and nothing else.</summary>
public sealed class CommitStampTests : IAsyncLifetime
{
    private readonly TicketingApp _app = new();

    private CommitStamp Stamp => _app.Services.GetRequiredService<CommitStamp>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void Sqlite_IsTheDataVersionStamp()
    {
        Assert.IsType<SqliteCommitStamp>(Stamp);
    }

    [Fact]
    public async Task Stamp_WithoutWrites_StaysTheSame()
    {
        await ListTicketAndSettleAsync();
        var before = await Stamp.ReadAsync();

        await using (var db = _app.CreateDbContext())
        {
            await db.Tickets.CountAsync();
        }

        await using (var separate = OpenSeparateConnection())
        {
            await ExecuteAsync(separate, "SELECT COUNT(*) FROM tickets;");
        }

        Assert.NotNull(before);
        Assert.Equal(before, await Stamp.ReadAsync());
        Assert.Equal(before, await Stamp.ReadAsync());
    }

    [Fact]
    public async Task Stamp_AfterCommitOnAnotherPooledConnection_Changes()
    {
        var ticketId = await ListTicketAndSettleAsync();
        var before = await Stamp.ReadAsync();

        await using (var db = TestDatabase.Open(_app.DatabasePath))
        {
            await db.Database.ExecuteSqlAsync($"UPDATE tickets SET Title = 'After' WHERE Id = {ticketId};");
        }

        var after = await Stamp.ReadAsync();
        Assert.Equal("After", (await _app.Services.ReadTicketAsync(ticketId)).Title);
        Assert.NotEqual(before, after);
        Assert.Equal(after, await Stamp.ReadAsync());
    }

    [Fact]
    public async Task Stamp_ReadWhileManyOthersRead_SeesACommitMadeBeforeTheRead()
    {
        var ticketId = await ListTicketAndSettleAsync();
        var before = await Stamp.ReadAsync();
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                await Stamp.ReadAsync();
                reads++;
            }

            return reads;
        })).ToList();

        for (var i = 0; i < 20; i++)
        {
            await using (var separate = OpenSeparateConnection())
            {
                await ExecuteAsync(separate, $"UPDATE tickets SET Title = 'After {i}';");
            }

            // Read amid the others: however the reads are shared, this one began after the commit.
            var after = await Stamp.ReadAsync();
            Assert.NotEqual(before, after);
            before = after;
        }

        await stop.CancelAsync();
        Assert.All(await Task.WhenAll(readers), reads => Assert.True(reads > 0));
        Assert.Equal("After 19", (await _app.Services.ReadTicketAsync(ticketId)).Title);
    }

    [Fact]
    public async Task Stamp_AfterCommitFromASeparateNonPooledConnection_Changes()
    {
        var ticketId = await ListTicketAndSettleAsync();
        var before = await Stamp.ReadAsync();

        await using (var separate = OpenSeparateConnection())
        {
            await ExecuteAsync(separate, "UPDATE tickets SET Title = 'After';");
        }

        var after = await Stamp.ReadAsync();
        Assert.Equal("After", (await _app.Services.ReadTicketAsync(ticketId)).Title);
        Assert.NotEqual(before, after);
        Assert.Equal(after, await Stamp.ReadAsync());
    }

    [Fact]
    public async Task Stamp_AfterEachOfSeveralCommits_ChangesEveryTime()
    {
        await ListTicketAndSettleAsync();
        await using var separate = OpenSeparateConnection();
        var seen = new HashSet<long?> { await Stamp.ReadAsync() };

        for (var i = 0; i < 5; i++)
        {
            await ExecuteAsync(separate, $"UPDATE tickets SET Title = 'Round {i}';");
            Assert.True(seen.Add(await Stamp.ReadAsync()), $"a new stamp after commit {i}");
        }
    }

    [Fact]
    public async Task Stamp_AfterTheHostStops_IsDisposed()
    {
        var stamp = Stamp;
        await stamp.ReadAsync();

        await _app.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await stamp.ReadAsync());
    }

    /// <summary>A listing, once the app has dispatched its events: from then on nothing writes on its own.</summary>
    private async Task<Guid> ListTicketAndSettleAsync()
    {
        var ticket = await _app.Services.ListTicketAsync(Guid.NewGuid(), title: "Before");
        await _app.Services.WaitForOutboxToSettleAsync();
        return ticket.Id;
    }

    /// <summary>Its own pool-less connection: as another process on the same file would write.</summary>
    private SqliteConnection OpenSeparateConnection()
    {
        var connection = new SqliteConnection($"Data Source={_app.DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
