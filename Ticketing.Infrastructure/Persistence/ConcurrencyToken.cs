using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Ticketing.Infrastructure.Persistence;

public static class ConcurrencyToken
{
    /// <summary>The shadow property holding the row's version stamp on both providers.</summary>
    public const string PropertyName = "RowVersion";

    /// <summary>
    /// Gives every changed row a fresh token. The UPDATE still compares against the original value,
    /// so a writer that read the row before someone else's write affects no row and loses.
    /// </summary>
    internal static void RenewForChangedRows(DbContext context)
    {
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Added or EntityState.Modified && HasToken(entry))
            {
                entry.Property(PropertyName).CurrentValue = Guid.NewGuid().ToByteArray();
            }
        }
    }

    private static bool HasToken(EntityEntry entry) => entry.Metadata.FindProperty(PropertyName) is not null;
}
