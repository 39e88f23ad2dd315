using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// Readies every SQLite connection the app's contexts open:
/// <list type="bullet">
/// <item>SQLite itself waits for the write lock. Without a busy timeout Microsoft.Data.Sqlite answers
/// SQLITE_BUSY by sleeping 150 ms before each retry, so two writers meeting (a reservation and the
/// outbox dispatcher, say) cost the loser at least 150 ms; SQLite's own handler retries after 1,
/// 2, 5, 10 ms... and takes the lock almost as soon as it is free.</item>
/// <item>LIKE ignores the case of every letter, not only ASCII ones (<see cref="SqliteUnicodeLike"/>).</item>
/// </list>
/// </summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle } sqlite)
        {
            // As long as a command may take: the managed retry only remains for what this does not cover.
            SQLitePCL.raw.sqlite3_busy_timeout(handle, sqlite.DefaultTimeout * 1000);
            SqliteUnicodeLike.Register(handle);
        }
    }
}
