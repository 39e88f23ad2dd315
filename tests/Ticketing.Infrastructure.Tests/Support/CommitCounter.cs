using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>
/// Counts write commits, the unit SQLite pays an fsync for: committed transactions, plus writes
/// that ran outside one (each of those commits on its own).
/// </summary>
internal sealed class CommitCounter : IDbTransactionInterceptor, IDbCommandInterceptor
{
    private int _commits;

    public int Commits => Volatile.Read(ref _commits);

    public void Reset() => Interlocked.Exchange(ref _commits, 0);

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        Interlocked.Increment(ref _commits);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _commits);
        return Task.CompletedTask;
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        CountAutocommit(command);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        CountAutocommit(command);
        return ValueTask.FromResult(result);
    }

    public DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        CountAutocommit(command);
        return result;
    }

    public ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        CountAutocommit(command);
        return ValueTask.FromResult(result);
    }

    private void CountAutocommit(DbCommand command)
    {
        var text = command.CommandText.TrimStart();
        if (command.Transaction is null
            && (text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
                || text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase)
                || text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase)))
        {
            Interlocked.Increment(ref _commits);
        }
    }
}
