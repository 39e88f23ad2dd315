using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// What a save of one context would write, worked out on that context and written later, as plain
/// statements, in another context's open transaction: the group commit's writer then runs a
/// reservation's statements alone, while the work of deciding them (the reactions, the outbox rows,
/// the audit steps, the tokens, EF Core's change tracking) was done by the request beforehand.
/// Inserts and updates only, in SQLite's dialect. Every update names the key and the concurrency
/// tokens its entry read, so a row changed since is not written; an insert of a row whose key the
/// app chose is a claim on that key, written only if no row has it yet (<c>ON CONFLICT DO
/// NOTHING</c>). These guarded statements run first, and the first that writes no row stops the
/// write with nothing of it left (docs/decisions/0033). Rows whose key the database makes (the
/// outbox's, the audit trail's) are plain inserts after them.
/// </summary>
internal sealed class PreparedWrite
{
    private const string Savepoint = "prepared";

    private readonly List<Statement> _guarded;
    private readonly List<Statement> _plain;

    private PreparedWrite(IReadOnlyList<IDomainEvent> events, List<Statement> guarded, List<Statement> plain) =>
        (Events, _guarded, _plain) = (events, guarded, plain);

    /// <summary>The events the save raised, in the order their outbox rows are written.</summary>
    public IReadOnlyList<IDomainEvent> Events { get; }

    /// <summary>Runs the save's event pipeline on <paramref name="db"/> and turns its tracked changes into statements.</summary>
    public static async Task<PreparedWrite> PrepareAsync(TicketingDbContext db, CancellationToken cancellationToken)
    {
        var events = await db.PrepareSaveAsync(cancellationToken);
        var sql = db.GetService<ISqlGenerationHelper>();
        var guarded = new List<Statement>();
        var plain = new List<Statement>();

        // Added rows in the order they were added: the outbox's and the audit trail's keys are made by
        // the database, in that order, as a save makes them.
        foreach (var entry in db.ChangeTracker.Entries())
        {
            switch (entry.State)
            {
                case EntityState.Modified:
                    guarded.Add(Update(entry, sql));
                    break;
                case EntityState.Added when entry.Metadata.FindPrimaryKey()!.Properties.Any(p => entry.Property(p.Name).IsTemporary):
                    plain.Add(Insert(entry, sql, claim: false));
                    break;
                case EntityState.Added:
                    guarded.Add(Insert(entry, sql, claim: true));
                    break;
                case EntityState.Deleted:
                    throw new NotSupportedException($"A prepared write does not delete ({entry.Metadata.DisplayName()}).");
            }
        }

        return new PreparedWrite(events, guarded, plain);
    }

    /// <summary>
    /// Writes the statements in <paramref name="writer"/>'s open transaction and records the events
    /// for its on-commit handlers. Returns null once all are written, or the entity whose row was
    /// changed by another writer since it was read, with nothing written.
    /// </summary>
    public async Task<object?> WriteAsync(TicketingDbContext writer, CancellationToken cancellationToken)
    {
        var transaction = writer.Database.CurrentTransaction
            ?? throw new InvalidOperationException("A prepared write runs inside its writer's transaction.");
        await transaction.CreateSavepointAsync(Savepoint, cancellationToken);
        foreach (var statement in _guarded)
        {
            if (await statement.RunAsync(writer, cancellationToken) != 1)
            {
                // The guarded statements before this one wrote their rows: undone, so that the
                // caller decides again on the rows as they are.
                await transaction.RollbackToSavepointAsync(Savepoint, cancellationToken);
                await transaction.ReleaseSavepointAsync(Savepoint, cancellationToken);
                return statement.Entity;
            }
        }

        await transaction.ReleaseSavepointAsync(Savepoint, cancellationToken);
        foreach (var statement in _plain)
        {
            await statement.RunAsync(writer, cancellationToken);
        }

        writer.WroteInTransaction(Events);
        return null;
    }

    private static Statement Insert(EntityEntry entry, ISqlGenerationHelper sql, bool claim)
    {
        CheckPlainColumns(entry);

        // Every column a save would send: not a key the database generates, nor a row version it stamps.
        var columns = entry.Metadata.GetProperties()
            .Where(p => p.GetBeforeSaveBehavior() == PropertySaveBehavior.Save && !entry.Property(p.Name).IsTemporary)
            .ToList();
        var values = columns.Select((p, i) => ValueOf(p, entry.Property(p.Name).CurrentValue, sql.GenerateParameterName(InsertStatement.ParameterName(i)))).ToList();
        var onConflict = claim ? " ON CONFLICT DO NOTHING" : "";
        return new Statement(entry.Entity, InsertStatement.For(entry.Metadata, columns, sql) + onConflict, values);
    }

    private static Statement Update(EntityEntry entry, ISqlGenerationHelper sql)
    {
        CheckPlainColumns(entry);
        var table = StoreObjectIdentifier.Table(entry.Metadata.GetTableName()!, entry.Metadata.GetSchema());
        var changed = entry.Metadata.GetProperties()
            .Where(p => entry.Property(p.Name).IsModified && p.GetAfterSaveBehavior() == PropertySaveBehavior.Save)
            .ToList();
        var guards = entry.Metadata.GetProperties().Where(p => p.IsPrimaryKey() || p.IsConcurrencyToken).ToList();
        var values = new List<ColumnValue>();
        string Next(IProperty p, object? value)
        {
            var i = values.Count;
            values.Add(ValueOf(p, value, sql.GenerateParameterName($"p{i}")));
            return sql.GenerateParameterNamePlaceholder($"p{i}");
        }

        var set = string.Join(", ", changed.Select(p => $"{sql.DelimitIdentifier(p.GetColumnName(table)!)} = {Next(p, entry.Property(p.Name).CurrentValue)}"));
        var where = string.Join(" AND ", guards.Select(p => $"{sql.DelimitIdentifier(p.GetColumnName(table)!)} = {Next(p, entry.Property(p.Name).OriginalValue)}"));
        return new Statement(entry.Entity, $"UPDATE {sql.DelimitIdentifier(table.Name, table.Schema)} SET {set} WHERE {where}", values);
    }

    private static void CheckPlainColumns(EntityEntry entry)
    {
        if (entry.Metadata.GetComplexProperties().Any() || entry.Metadata.GetNavigations().Any(n => n.TargetEntityType.IsOwned()))
        {
            throw new NotSupportedException($"A prepared write maps plain columns only ({entry.Metadata.DisplayName()}).");
        }
    }

    private static ColumnValue ValueOf(IProperty property, object? value, string name) =>
        new(name, (RelationalTypeMapping)property.GetRelationalTypeMapping(), value, property.IsNullable);

    private sealed record Statement(object Entity, string Sql, IReadOnlyList<ColumnValue> Values)
    {
        /// <summary>On the writer's kept command for this text: the same few statements run for every reservation of a batch.</summary>
        public Task<int> RunAsync(TicketingDbContext writer, CancellationToken cancellationToken) =>
            writer.KeptCommands.ExecuteAsync(Sql, Values, cancellationToken);
    }
}
