using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Ticketing.Infrastructure.Events;

/// <summary>
/// Writes many outbox rows inside the caller's open transaction with one INSERT command, run once
/// per row. Saving them as tracked entities costs EF Core's per-row bookkeeping (and on SQLite one
/// command each anyway), which for an expiry set of thousands of events was most of its time. Column
/// names, value conversions and parameter types all come from the model, so both providers store
/// exactly what a save would.
/// </summary>
internal static class OutboxBulkWriter
{
    private static readonly string[] Columns =
    [
        nameof(OutboxMessage.EventId),
        nameof(OutboxMessage.Type),
        nameof(OutboxMessage.Payload),
        nameof(OutboxMessage.AggregateId),
        nameof(OutboxMessage.AggregateVersion),
        nameof(OutboxMessage.OccurredAt),
        nameof(OutboxMessage.Attempts),
    ];

    public static async Task InsertAsync(DbContext db, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Outbox rows are written in the transaction of the change that raised them.");
        var entity = db.Model.FindEntityType(typeof(OutboxMessage))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var properties = Columns.Select(c => entity.FindProperty(c)!).ToArray();

        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)))}) " +
            $"VALUES ({string.Join(", ", properties.Select((_, i) => sql.GenerateParameterNamePlaceholder($"p{i}")))})";
        var mappings = properties.Select(p => (RelationalTypeMapping)p.GetRelationalTypeMapping()).ToArray();
        var parameters = new DbParameter[properties.Length];
        for (var i = 0; i < properties.Length; i++)
        {
            // Made by the column's mapping, so typed as a save would type it.
            parameters[i] = mappings[i].CreateParameter(command, sql.GenerateParameterName($"p{i}"), null, properties[i].IsNullable);
            command.Parameters.Add(parameters[i]);
        }

        // Not prepared explicitly: SQLite keeps the command's compiled statement between executions
        // anyway, and SQL Server would ask for sizes the mappings leave to the value.
        foreach (var message in messages)
        {
            object?[] values = [message.EventId, message.Type, message.Payload, message.AggregateId, message.AggregateVersion, message.OccurredAt, message.Attempts];
            for (var i = 0; i < values.Length; i++)
            {
                // Converted as a save would convert it (instants to ticks on SQLite).
                parameters[i].Value = (mappings[i].Converter is { } converter ? converter.ConvertToProvider(values[i]) : values[i]) ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
