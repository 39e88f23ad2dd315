using Microsoft.Data.Sqlite;

namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>
/// Holds the database's write lock (an open <c>BEGIN IMMEDIATE</c>) until disposed. In WAL mode
/// readers go on reading while every writer waits, so racers started under the hold all read the
/// same row version before any of them can commit: the interleaving an optimistic-concurrency
/// token exists for, made certain instead of likely.
/// </summary>
internal sealed class SqliteWriteLock : IDisposable
{
    private readonly SqliteConnection _connection;

    private SqliteWriteLock(SqliteConnection connection) => _connection = connection;

    public static SqliteWriteLock Take(string databasePath)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        begin.ExecuteNonQuery();
        return new SqliteWriteLock(connection);
    }

    public void Dispose()
    {
        using (var rollback = _connection.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
        }

        _connection.Dispose();
    }
}
