using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>Counts the queries that read each ticket row (see <see cref="RowReadCounter"/>).</summary>
internal sealed class TicketReadCounter() : RowReadCounter("tickets");

/// <summary>Counts the queries that read each order row (see <see cref="RowReadCounter"/>).</summary>
internal sealed class OrderReadCounter() : RowReadCounter("orders");

/// <summary>
/// Counts the queries that read each row of one table, and which of <see cref="Race"/>'s racers made
/// them. With <see cref="SqliteWriteLock"/> it tells when every racer has read the row, so that the
/// lock is released neither too early (a racer reads after another's commit: no race) nor on a guess.
/// </summary>
internal abstract class RowReadCounter(string table) : DbCommandInterceptor
{
    private readonly string _from = $"FROM \"{table}\"";

    private readonly ConcurrentDictionary<Guid, int> _reads = new();

    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<object, byte>> _racers = new();

    /// <summary>The app, with this counter on every context it creates.</summary>
    public WebApplicationFactory<Program> Attach(TicketingApp app) =>
        app.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.ConfigureDbContext<SqliteTicketingDbContext>(o => o.AddInterceptors(this))));

    public int ReadsOf(Guid rowId) => _reads.GetValueOrDefault(rowId);

    public Task WaitForReadsAsync(Guid rowId, int reads, TimeSpan? timeout = null) =>
        TicketingApp.WaitUntilAsync(
            () => Task.FromResult(_reads.GetValueOrDefault(rowId) >= reads),
            timeout ?? TimeSpan.FromSeconds(15),
            $"{reads} racers have read row {rowId}");

    /// <summary>
    /// Waits until <paramref name="racers"/> different racers have each read the row. Reads made
    /// outside a racer (the setup's own, an on-commit handler's) and a racer's second read do not
    /// count: counting them would release the lock before every racer has read.
    /// </summary>
    public Task WaitForRacersAsync(Guid rowId, int racers, TimeSpan? timeout = null) =>
        TicketingApp.WaitUntilAsync(
            () => Task.FromResult(_racers.TryGetValue(rowId, out var read) && read.Count >= racers),
            timeout ?? TimeSpan.FromSeconds(15),
            $"{racers} racers have read row {rowId}");

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Count(command);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Count(command);
        return ValueTask.FromResult(result);
    }

    private void Count(DbCommand command)
    {
        if (!command.CommandText.Contains(_from, StringComparison.Ordinal))
        {
            return;
        }

        foreach (DbParameter parameter in command.Parameters)
        {
            if (parameter.Value is Guid id || (parameter.Value is string text && Guid.TryParse(text, out id)))
            {
                _reads.AddOrUpdate(id, 1, (_, n) => n + 1);
                if (Race.Racer is { } racer)
                {
                    _racers.GetOrAdd(id, _ => new ConcurrentDictionary<object, byte>()).TryAdd(racer, 0);
                }
            }
        }
    }
}
