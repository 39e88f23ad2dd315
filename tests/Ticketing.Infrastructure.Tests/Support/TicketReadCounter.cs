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

/// <summary>
/// Counts the queries that read each ticket row. With <see cref="SqliteWriteLock"/> it tells when
/// every racer has read the ticket, so that the lock is released neither too early (a racer reads
/// after another's commit: no race) nor on a guess.
/// </summary>
internal sealed class TicketReadCounter : DbCommandInterceptor
{
    private readonly ConcurrentDictionary<Guid, int> _reads = new();

    /// <summary>The app, with this counter on every context it creates.</summary>
    public WebApplicationFactory<Program> Attach(TicketingApp app) =>
        app.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.ConfigureDbContext<SqliteTicketingDbContext>(o => o.AddInterceptors(this))));

    public int ReadsOf(Guid ticketId) => _reads.GetValueOrDefault(ticketId);

    public Task WaitForReadsAsync(Guid ticketId, int reads) =>
        TicketingApp.WaitUntilAsync(
            () => Task.FromResult(_reads.GetValueOrDefault(ticketId) >= reads),
            TimeSpan.FromSeconds(15),
            $"{reads} racers have read ticket {ticketId}");

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
        if (!command.CommandText.Contains("FROM \"tickets\"", StringComparison.Ordinal))
        {
            return;
        }

        foreach (DbParameter parameter in command.Parameters)
        {
            if (parameter.Value is Guid id || (parameter.Value is string text && Guid.TryParse(text, out id)))
            {
                _reads.AddOrUpdate(id, 1, (_, n) => n + 1);
            }
        }
    }
}
