using Microsoft.Data.Sqlite;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// <c>PRAGMA data_version</c> changes whenever another connection, in any process, commits to the
/// file, but not for the reading connection's own writes. So the stamp has a connection of its own
/// that never writes, and only that one: data_version values of two connections do not compare.
/// </summary>
/// <remarks>
/// Every cached list request reads the stamp, and the connection answers one read at a time. Readers
/// that arrive while a read is running do not queue one by one: they share the next read, which the
/// running reader makes for them as soon as its own is done. That read starts after they arrived, so
/// each still sees every commit made before its request; under load one read answers many requests.
/// </remarks>
internal sealed class SqliteCommitStamp(DatabaseSettings settings) : CommitStamp, IDisposable
{
    private readonly Lock _gate = new();
    private SqliteConnection? _connection;
    private SqliteCommand? _dataVersion;
    private TaskCompletionSource<long?>? _next;
    private bool _reading;
    private bool _disposed;

    public override ValueTask<long?> ReadAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_reading)
            {
                _next ??= new TaskCompletionSource<long?>(TaskCreationOptions.RunContinuationsAsynchronously);
                return new ValueTask<long?>(_next.Task.WaitAsync(cancellationToken));
            }

            _reading = true;
        }

        try
        {
            return ValueTask.FromResult<long?>(Read());
        }
        finally
        {
            ReadForThoseWhoArrivedMeanwhile();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            if (_reading)
            {
                // The reader closes the connection when it is done.
                return;
            }
        }

        Close();
    }

    private void ReadForThoseWhoArrivedMeanwhile()
    {
        while (true)
        {
            TaskCompletionSource<long?> waiting;
            lock (_gate)
            {
                if (_next is null || _disposed)
                {
                    _next?.TrySetException(new ObjectDisposedException(nameof(SqliteCommitStamp)));
                    _next = null;
                    _reading = false;

                    // Decided under the same lock as Dispose's check of _reading: exactly one of the two closes.
                    if (_disposed)
                    {
                        break;
                    }

                    return;
                }

                (waiting, _next) = (_next, null);
            }

            try
            {
                waiting.TrySetResult(Read());
            }
            catch (Exception e)
            {
                waiting.TrySetException(e);
            }
        }

        Close();
    }

    /// <summary>One read at a time: only the reader holding <see cref="_reading"/> gets here.</summary>
    private long Read()
    {
        // Opened on first use, after start-up has created and migrated the file.
        _dataVersion ??= Open();
        return (long)_dataVersion.ExecuteScalar()!;
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

    private void Close()
    {
        _dataVersion?.Dispose();
        _connection?.Dispose();
        _dataVersion = null;
        _connection = null;
    }
}
