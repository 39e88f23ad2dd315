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

/// <summary>The SQL the app's contexts send, with its parameters, so that a test can ask SQLite how it runs it.</summary>
public sealed class CommandRecorder : DbCommandInterceptor
{
    private readonly ConcurrentQueue<RecordedCommand> _commands = new();

    public IReadOnlyList<RecordedCommand> Commands => [.. _commands];

    /// <summary>The app, with this recorder on every context it creates.</summary>
    public WebApplicationFactory<Program> Attach(TicketingApp app) =>
        app.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.ConfigureDbContext<SqliteTicketingDbContext>(o => o.AddInterceptors(this))));

    public void Clear() => _commands.Clear();

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

    private void Record(DbCommand command) => _commands.Enqueue(new RecordedCommand(
        command.CommandText,
        command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value)).ToList()));
}

public sealed record RecordedCommand(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters)
{
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
