using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// The statements a context's transactions run many times over (the prepared writes of a group
/// commit's batch: the same few inserts and updates for every reservation), each kept as one command
/// per statement text for the context's life. SQLite keeps a command's compiled statement between its
/// executions, so a statement run again costs its binding and its step, where a new command (what
/// EF Core's raw SQL makes each time) is compiled anew. The commands still go through EF Core's
/// command logging and interceptors, as any statement of the context does.
/// </summary>
internal sealed class KeptCommands(TicketingDbContext db) : IDisposable, IAsyncDisposable
{
    private readonly Dictionary<string, Kept> _commands = new(StringComparer.Ordinal);

    // The context's own, looked up once rather than for every statement.
    private IRelationalConnection? _connection;
    private IRelationalCommandDiagnosticsLogger? _logger;

    /// <summary>Runs <paramref name="sql"/> with <paramref name="values"/> in the context's open transaction; returns the rows it changed.</summary>
    public async Task<int> ExecuteAsync(string sql, IReadOnlyList<ColumnValue> values, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Kept commands run inside their context's transaction.");
        if (!_commands.TryGetValue(sql, out var kept))
        {
            kept = Kept.Create(transaction.Connection!, sql, values);
            _commands.Add(sql, kept);
        }

        var command = kept.Command;
        command.Transaction = transaction;
        kept.Bind(values);
        return await ExecuteLoggedAsync(command, cancellationToken);
    }

    public void Dispose()
    {
        foreach (var kept in _commands.Values)
        {
            kept.Command.Dispose();
        }

        _commands.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var kept in _commands.Values)
        {
            await kept.Command.DisposeAsync();
        }

        _commands.Clear();
    }

    /// <summary>As EF Core runs a command: its interceptors may suppress it or change its result, and its logging sees it.</summary>
    private async Task<int> ExecuteLoggedAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var connection = _connection ??= db.GetService<IRelationalConnection>();
        var logger = _logger ??= db.GetService<IRelationalCommandDiagnosticsLogger>();
        var commandId = Guid.NewGuid();
        var startTime = DateTimeOffset.UtcNow;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var interception = await logger.CommandNonQueryExecutingAsync(
                connection, command, command.CommandText, db, commandId, connection.ConnectionId, startTime, CommandSource.ExecuteSqlRaw, cancellationToken);
            var result = interception.HasResult ? interception.Result : await command.ExecuteNonQueryAsync(cancellationToken);
            return await logger.CommandNonQueryExecutedAsync(
                connection, command, command.CommandText, db, commandId, connection.ConnectionId, result, startTime, Stopwatch.GetElapsedTime(started), CommandSource.ExecuteSqlRaw, cancellationToken);
        }
        catch (Exception ex)
        {
            await logger.CommandErrorAsync(
                connection, command, command.CommandText, db, DbCommandMethod.ExecuteNonQuery, commandId, connection.ConnectionId, ex, startTime, Stopwatch.GetElapsedTime(started), CommandSource.ExecuteSqlRaw, cancellationToken);
            throw;
        }
    }

    private sealed record Kept(DbCommand Command, DbParameter[] Parameters)
    {
        public static Kept Create(DbConnection connection, string sql, IReadOnlyList<ColumnValue> values)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            var parameters = new DbParameter[values.Count];
            for (var i = 0; i < values.Count; i++)
            {
                // Made by the column's mapping, so typed as a save would type it; the value comes with each run.
                parameters[i] = values[i].Mapping.CreateParameter(command, values[i].Name, null, values[i].Nullable);
                command.Parameters.Add(parameters[i]);
            }

            return new Kept(command, parameters);
        }

        public void Bind(IReadOnlyList<ColumnValue> values)
        {
            for (var i = 0; i < values.Count; i++)
            {
                Parameters[i].Value = values[i].ToProvider();
            }
        }
    }
}

/// <summary>A column's value with its mapping, which converts it as a save would (instants to ticks on SQLite, enums to names).</summary>
internal sealed record ColumnValue(string Name, RelationalTypeMapping Mapping, object? Clr, bool Nullable)
{
    public object ToProvider() => ToProvider(Mapping, Clr);

    /// <summary><paramref name="value"/> as the column stores it, or <see cref="DBNull"/>.</summary>
    public static object ToProvider(RelationalTypeMapping mapping, object? value) =>
        (mapping.Converter is { } converter && value is not null ? converter.ConvertToProvider(value) : value) ?? DBNull.Value;
}
