using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// Writes many rows of one entity type inside the caller's open transaction with one INSERT
/// command, run once per row: the expiry sets' events and audit steps. Saving them as tracked
/// entities costs EF Core's per-row bookkeeping; for a set of 500 expiries the 500 audit steps alone
/// took a third of the set. Columns, value conversions and parameter types all come from the model,
/// so both providers store exactly what a save would; the key the database generates is left to it,
/// in the rows' order.
/// </summary>
/// <remarks>
/// One row per execution, not multi-row VALUES: Microsoft.Data.Sqlite binds every parameter by
/// name and SQLite finds each name by a linear search of the statement's, so a statement's binding
/// grows with the square of its values. Measured for 1,500 outbox rows (CPU, median of 9): 15–19 ms
/// at 1 row per statement, 17–21 ms at 8, 22–25 ms at 28, 61–64 ms at 200. SQLite keeps the
/// command's compiled statement between executions, so a row costs its binding and its step.
/// </remarks>
internal static class SetInsert
{
    public static async Task InsertAsync<TEntity>(DbContext db, IReadOnlyList<TEntity> rows, CancellationToken cancellationToken)
        where TEntity : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("A set is written in the transaction of the change that made it.");
        var entity = db.Model.FindEntityType(typeof(TEntity))!;
        var sql = db.GetService<ISqlGenerationHelper>();

        // Every mapped column but a key the database generates (the commit order of outbox rows and audit steps).
        var properties = entity.GetProperties()
            .Where(p => !p.IsShadowProperty() && !(p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd))
            .ToArray();
        var mappings = properties.Select(p => (RelationalTypeMapping)p.GetRelationalTypeMapping()).ToArray();
        var getters = properties.Select(p => p.GetGetter()).ToArray();

        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = InsertStatement.For(entity, properties, sql);
        var parameters = new DbParameter[properties.Length];
        for (var i = 0; i < properties.Length; i++)
        {
            // Made by the column's mapping, so typed as a save would type it.
            parameters[i] = mappings[i].CreateParameter(command, sql.GenerateParameterName(InsertStatement.ParameterName(i)), null, properties[i].IsNullable);
            command.Parameters.Add(parameters[i]);
        }

        // Not prepared explicitly: SQLite keeps the compiled statement anyway, and SQL Server would
        // ask for sizes the mappings leave to the value.
        foreach (var row in rows)
        {
            for (var i = 0; i < properties.Length; i++)
            {
                // Converted as a save would convert it (instants to ticks on SQLite, enums to strings).
                parameters[i].Value = ColumnValue.ToProvider(mappings[i], getters[i].GetClrValue(row));
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
