using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// Writes many rows of one entity type inside the caller's open transaction with multi-row INSERT
/// statements (a few hundred values each), for the expiry sets' events and
/// audit steps. Saving them as tracked entities cost EF Core's per-row bookkeeping and one statement
/// per row, which for a set of 500 expiries (1,500 events, 500 steps) was most of the set's time.
/// Columns, value conversions and parameter types all come from the model, so both providers store
/// exactly what a save would; the key the database generates is left to it, in the rows' order.
/// </summary>
internal static class SetInsert
{
    // Small statements: SQLite finds each named parameter by a linear search of the statement's
    // names, so binding a statement of n values costs n²; at 1,400 values per statement the binding
    // took longer than the rows it inserted (measured: 1,500 outbox rows in ≈ 1 s against ≈ 0.1 s one
    // row per statement). A couple of hundred values keeps most of the saving per statement.
    private const int MaxParameters = 200;

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
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();

        // Every mapped column but a key the database generates (the commit order of outbox rows and audit steps).
        var properties = entity.GetProperties()
            .Where(p => !p.IsShadowProperty() && !(p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd))
            .ToArray();
        var mappings = properties.Select(p => (RelationalTypeMapping)p.GetRelationalTypeMapping()).ToArray();
        var getters = properties.Select(p => p.GetGetter()).ToArray();
        var columns = string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)));
        var target = sql.DelimitIdentifier(table.Name, table.Schema);
        var perStatement = Math.Max(1, MaxParameters / properties.Length);
        var orderedByIdentity = db.Database.ProviderName?.Contains("SqlServer", StringComparison.Ordinal) == true;

        DbCommand? command = null;
        try
        {
            for (var start = 0; start < rows.Count; start += perStatement)
            {
                var count = Math.Min(perStatement, rows.Count - start);
                if (command is null || command.Parameters.Count != count * properties.Length)
                {
                    if (command is not null)
                    {
                        await command.DisposeAsync();
                    }

                    command = transaction.Connection!.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = orderedByIdentity
                        ? OrderedInsertText(sql, target, columns, properties.Length, count)
                        : InsertText(sql, target, columns, properties.Length, count);
                    for (var r = 0; r < count; r++)
                    {
                        for (var c = 0; c < properties.Length; c++)
                        {
                            // Made by the column's mapping, so typed as a save would type it.
                            command.Parameters.Add(mappings[c].CreateParameter(command, sql.GenerateParameterName($"p{(r * properties.Length) + c}"), null, properties[c].IsNullable));
                        }
                    }
                }

                for (var r = 0; r < count; r++)
                {
                    var row = rows[start + r];
                    for (var c = 0; c < properties.Length; c++)
                    {
                        // Converted as a save would convert it (instants to ticks on SQLite, enums to strings).
                        var value = getters[c].GetClrValue(row);
                        command.Parameters[(r * properties.Length) + c].Value =
                            (mappings[c].Converter is { } converter && value is not null ? converter.ConvertToProvider(value) : value) ?? DBNull.Value;
                    }
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }
        }
    }

    /// <summary>SQLite numbers the rows of a multi-row VALUES in the order they are written.</summary>
    private static string InsertText(ISqlGenerationHelper sql, string target, string columns, int width, int count)
    {
        var text = new StringBuilder($"INSERT INTO {target} ({columns}) VALUES ");
        AppendRows(text, sql, width, count, ordinal: false);
        return text.ToString();
    }

    /// <summary>
    /// SQL Server promises identity values in the order of an INSERT … SELECT … ORDER BY, not of a
    /// VALUES list: each row carries its position.
    /// </summary>
    private static string OrderedInsertText(ISqlGenerationHelper sql, string target, string columns, int width, int count)
    {
        var names = Enumerable.Range(0, width).Select(i => $"c{i}").ToList();
        var text = new StringBuilder($"INSERT INTO {target} ({columns}) SELECT {string.Join(", ", names)} FROM (VALUES ");
        AppendRows(text, sql, width, count, ordinal: true);
        text.Append($") AS v ({string.Join(", ", names)}, ord) ORDER BY ord");
        return text.ToString();
    }

    private static void AppendRows(StringBuilder text, ISqlGenerationHelper sql, int width, int count, bool ordinal)
    {
        for (var r = 0; r < count; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < width; c++)
            {
                text.Append(c == 0 ? "" : ", ").Append(sql.GenerateParameterNamePlaceholder($"p{(r * width) + c}"));
            }

            if (ordinal)
            {
                text.Append(", ").Append(r);
            }

            text.Append(')');
        }
    }
}
