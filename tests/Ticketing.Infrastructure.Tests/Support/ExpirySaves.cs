using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Expiration;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>
/// Watches the transactions of expiry sets (those that began right after the set's tagged read of
/// its live orders): how many committed and how many lost a race and were rolled back. Can also run
/// the test's own change between the first set's read and its writes: a payment landing there.
/// </summary>
internal sealed class ExpirySaves : DbCommandInterceptor, IDbTransactionInterceptor
{
    private readonly ConcurrentDictionary<DbContext, bool> _readSet = new();
    private readonly ConcurrentDictionary<DbTransaction, bool> _sets = new();
    private Func<Task>? _beforeFirst;
    private int _commits;
    private int _conflicts;

    public int Commits => Volatile.Read(ref _commits);

    public int Conflicts => Volatile.Read(ref _conflicts);

    /// <summary>The app, with this watcher on every context it creates.</summary>
    public WebApplicationFactory<Program> Attach(TicketingApp app) =>
        app.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.ConfigureDbContext<SqliteTicketingDbContext>(o => o.AddInterceptors(this))));

    /// <summary>Runs <paramref name="change"/> after the first expiry set has read its orders and before it writes.</summary>
    public void BeforeFirstWrite(Func<Task> change) => _beforeFirst = change;

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && command.CommandText.Contains(ExpiryRules.SetReadTag, StringComparison.Ordinal))
        {
            _readSet[context] = true;
        }

        return ValueTask.FromResult(result);
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && _readSet.ContainsKey(context) && Interlocked.Exchange(ref _beforeFirst, null) is { } change)
        {
            await change();
        }

        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && _readSet.TryRemove(context, out _))
        {
            _sets[result] = true;
        }

        return ValueTask.FromResult(result);
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (_sets.TryRemove(transaction, out _))
        {
            Interlocked.Increment(ref _commits);
        }

        return Task.CompletedTask;
    }

    public ValueTask<InterceptionResult> TransactionRollingBackAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (_sets.TryRemove(transaction, out _))
        {
            Interlocked.Increment(ref _conflicts);
        }

        return ValueTask.FromResult(result);
    }
}
