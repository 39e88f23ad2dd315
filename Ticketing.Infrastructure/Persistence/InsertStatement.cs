using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// The INSERT of one row of an entity type into its table, its columns named from the model and its
/// values as parameters <c>p0</c>, <c>p1</c>, … in the columns' order: the statement of the rows
/// written without EF Core's update pipeline (<see cref="SetInsert"/>, <see cref="PreparedWrite"/>).
/// </summary>
internal static class InsertStatement
{
    public static string For(IEntityType entity, IReadOnlyList<IProperty> columns, ISqlGenerationHelper sql)
    {
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var names = string.Join(", ", columns.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)));
        var placeholders = string.Join(", ", columns.Select((_, i) => sql.GenerateParameterNamePlaceholder(ParameterName(i))));
        return $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({names}) VALUES ({placeholders})";
    }

    /// <summary>The name of the parameter that carries the value of column <paramref name="index"/>.</summary>
    public static string ParameterName(int index) => $"p{index}";
}
