using Microsoft.Data.Sqlite;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// <c>PRAGMA data_version</c> changes whenever another connection, in any process, commits to the
/// file, but not for the reading connection's own writes. So the stamp has a connection of its own
/// that never writes, and only that one: data_version values of two connections do not compare.
/// </summary>
internal sealed class SqliteCommitStamp(DatabaseSettings settings) : CommitStamp, IDisposable
{
    // A connection serves one command at a time.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SqliteConnection? _connection;
    private SqliteCommand? _dataVersion;
    private bool _disposed;

    public override async ValueTask<long?> ReadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // Opened on first use, after start-up has created and migrated the file.
            _dataVersion ??= Open();
            return (long)_dataVersion.ExecuteScalar()!;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _gate.Wait();
        try
        {
            _disposed = true;
            _dataVersion?.Dispose();
            _connection?.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    private SqliteCommand Open()
    {
        var connection = new SqliteConnection(settings.ConnectionString);
        connection.Open();
        _connection = connection;
        var command = connection.CreateCommand();
        command.CommandText = "PRAGMA data_version;";
        command.Prepare();
        return command;
    }
}
