using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>
/// The SQL the app's contexts send, with its parameters: the reads, so that a test can ask SQLite
/// how it runs them, and apart from them the statements that read nothing back, with the rows each wrote.
/// </summary>
public sealed class CommandRecorder : DbCommandInterceptor
{
    private readonly ConcurrentQueue<RecordedCommand> _commands = new();
    private readonly ConcurrentQueue<RecordedCommand> _nonQueries = new();

    public IReadOnlyList<RecordedCommand> Commands => [.. _commands];

    /// <summary>The statements run without reading anything back (EF Core's own inserts and updates read back) whose SQL starts so, in the order they ran.</summary>
    public List<RecordedCommand> NonQueriesStarting(string sql) => [.. _nonQueries.Where(c => c.Sql.StartsWith(sql, StringComparison.Ordinal))];

    /// <summary>The app, with this recorder on every context it creates.</summary>
    public WebApplicationFactory<Program> Attach(TicketingApp app) =>
        app.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.ConfigureDbContext<SqliteTicketingDbContext>(o => o.AddInterceptors(this))));

    public void Clear()
    {
        _commands.Clear();
        _nonQueries.Clear();
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        _nonQueries.Enqueue(Recorded(command, result));
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        _nonQueries.Enqueue(Recorded(command, result));
        return ValueTask.FromResult(result);
    }

    private void Record(DbCommand command) => _commands.Enqueue(Recorded(command, rows: null));

    // The values as they were when the command ran: a command run again is bound anew.
    private static RecordedCommand Recorded(DbCommand command, int? rows) => new(
        command.CommandText,
        command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value)).ToList(),
        command,
        rows);
}

/// <summary>One run of a command: its SQL, its parameters' values then, the command itself, and for a statement the rows it wrote.</summary>
public sealed record RecordedCommand(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters, DbCommand Command, int? Rows)
{
    public bool HasValue(object value) => Parameters.Any(p => Equals(p.Value, value));

    /// <summary>SQLite's plan for this command, one line per step ("SEARCH tickets USING INDEX ...").</summary>
    public async Task<List<string>> PlanAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + Sql;
        foreach (var (name, value) in Parameters)
        {
            explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var steps = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            steps.Add(reader.GetString(reader.GetOrdinal("detail")));
        }

        return steps;
    }
}
