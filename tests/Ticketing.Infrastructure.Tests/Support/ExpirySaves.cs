using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
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
/// its live orders): how many committed and how many lost a race and were rolled back, and how many
/// sets were read while another set was writing. Can also run the test's own change between a set's
/// read and its writes: a payment or a cancellation landing there.
/// </summary>
internal sealed class ExpirySaves : DbCommandInterceptor, IDbTransactionInterceptor
{
    private readonly ConcurrentDictionary<DbContext, IReadOnlyList<Guid>> _readSet = new();
    private readonly ConcurrentDictionary<DbTransaction, bool> _sets = new();
    private Func<IReadOnlyList<Guid>, Task>? _before;
    private int _beforeSet;
    private int _started;
    private int _commits;
    private int _conflicts;
    private int _readsDuringWrites;
    private int _reads;
    private readonly TaskCompletionSource _secondRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TimeSpan? _holdFirstWrite;

    public int Commits => Volatile.Read(ref _commits);

    public int Conflicts => Volatile.Read(ref _conflicts);

    /// <summary>
    /// No set's transaction is between its start and its end. A commit is seen by other connections
    /// before <see cref="Commits"/> counts it (the interceptor hears of it once it has happened), so a
    /// test that waits for the rows waits for this too before it reads the count.
    /// </summary>
    public bool NoSetWriting => _sets.IsEmpty;

    /// <summary>Sets whose orders were read while another set had been read and not yet committed.</summary>
    public int ReadsDuringWrites => Volatile.Read(ref _readsDuringWrites);

    /// <summary>The app, with this watcher on every context it creates.</summary>
    public WebApplicationFactory<Program> Attach(TicketingApp app) =>
        app.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.ConfigureDbContext<SqliteTicketingDbContext>(o => o.AddInterceptors(this))));

    /// <summary>Runs <paramref name="change"/> after the first expiry set has read its orders and before it writes.</summary>
    public void BeforeFirstWrite(Func<Task> change) => BeforeWriteOfSet(1, _ => change());

    /// <summary>
    /// Holds the first set's writes back until a second set has been read, for at most
    /// <paramref name="longest"/>: a burst reads its next set while one writes; without that, the second
    /// read never comes while the first waits, and <see cref="ReadsDuringWrites"/> stays 0.
    /// </summary>
    public void HoldFirstWriteUntilNextRead(TimeSpan longest) => _holdFirstWrite = longest;

    /// <summary>
    /// Runs <paramref name="change"/> after the <paramref name="number"/>th expiry set to write (counted
    /// as their transactions start) has read its orders, and before it writes; it is given the ids read.
    /// </summary>
    public void BeforeWriteOfSet(int number, Func<IReadOnlyList<Guid>, Task> change)
    {
        _beforeSet = number;
        _before = change;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && command.CommandText.Contains(ExpiryRules.SetReadTag, StringComparison.Ordinal))
        {
            // The set's ids are one JSON array parameter.
            var ids = command.Parameters.Cast<DbParameter>()
                .Select(p => p.Value as string)
                .Where(v => v is not null && v.StartsWith('['))
                .SelectMany(v => JsonSerializer.Deserialize<Guid[]>(v!)!)
                .ToList();
            if (!_sets.IsEmpty || !_readSet.IsEmpty)
            {
                Interlocked.Increment(ref _readsDuringWrites);
            }

            _readSet[context] = ids;
            if (Interlocked.Increment(ref _reads) == 2)
            {
                _secondRead.TrySetResult();
            }
        }

        return ValueTask.FromResult(result);
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not { } context || !_readSet.TryGetValue(context, out var ids))
        {
            return result;
        }

        var number = Interlocked.Increment(ref _started);
        if (number == 1 && _holdFirstWrite is { } longest)
        {
            await Task.WhenAny(_secondRead.Task, Task.Delay(longest, cancellationToken));
        }

        if (number == _beforeSet && Interlocked.Exchange(ref _before, null) is { } change)
        {
            await change(ids);
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
