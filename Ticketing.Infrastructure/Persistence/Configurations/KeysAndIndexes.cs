using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Infrastructure.Persistence.Configurations;

/// <summary>The keys and indexes that several of the app's tables have alike.</summary>
internal static class KeysAndIndexes
{
    /// <summary>An id the app makes before the insert (an aggregate's, or the one it belongs to), never one the database generates.</summary>
    public static void HasAssignedKey<T>(this EntityTypeBuilder<T> builder, Expression<Func<T, Guid>> key)
        where T : class =>
        builder.HasKey(builder.Property(key).ValueGeneratedNever().Metadata.Name);

    /// <summary>A name of at most <paramref name="maxLength"/> characters that identifies the row.</summary>
    public static PropertyBuilder<string> HasNameKey<T>(this EntityTypeBuilder<T> builder, Expression<Func<T, string>> key, int maxLength)
        where T : class
    {
        var property = builder.Property(key).HasMaxLength(maxLength);
        builder.HasKey(property.Metadata.Name);
        return property;
    }

    /// <summary>
    /// One index per column, each ending in the id: a page sorted or filtered by that column reads off
    /// its index, in an order that ties cannot shuffle between pages.
    /// </summary>
    public static void HasIndexEachEndingInId<T>(this EntityTypeBuilder<T> builder, params string[] columns)
        where T : class
    {
        foreach (var column in columns)
        {
            builder.HasIndex(column, "Id");
        }
    }
}
