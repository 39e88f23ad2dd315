using Microsoft.Data.Sqlite;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// A consistent copy of a live SQLite database. <c>VACUUM INTO</c> reads the database in one read
/// transaction, so the copy is the database as of one commit while the app goes on writing (in WAL
/// mode readers and the writer do not wait for each other); copying the file instead can catch it
/// half-written and misses what still sits in the -wal file.
/// </summary>
public static class SqliteBackup
{
    public static async Task BackUpAsync(DatabaseSettings settings, string targetPath, CancellationToken cancellationToken = default)
    {
        if (settings.Provider != DatabaseProvider.Sqlite)
        {
            throw new InvalidOperationException("Backups through the app are for SQLite; back up SQL Server with its own tools (BACKUP DATABASE, or the managed service's backups).");
        }

        var target = Path.GetFullPath(targetPath);
        if (File.Exists(target))
        {
            throw new InvalidOperationException($"{target} already exists; choose a new file for each backup.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(settings.ConnectionString)
        {
            // Not ReadOnly: a read-only connection cannot open a WAL database whose -shm file is missing.
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var vacuum = connection.CreateCommand();
        vacuum.CommandText = "VACUUM INTO $target;";
        vacuum.Parameters.AddWithValue("$target", target);
        await vacuum.ExecuteNonQueryAsync(cancellationToken);
    }
}
