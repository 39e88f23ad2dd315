using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Infrastructure.Audit;

namespace Ticketing.Infrastructure.Persistence.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedOnAdd();
        builder.Property(a => a.Step).HasConversion<string>().HasMaxLength(32);
        builder.Property(a => a.Actor).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Detail).HasMaxLength(500).IsRequired();
        builder.Property(a => a.EventType).HasMaxLength(100).IsRequired();

        // A trail is read by its order or listing in commit order; a search by a user finds them as
        // buyer, seller or actor.
        builder.HasIndex(a => new { a.OrderId, a.Id });
        builder.HasIndex(a => new { a.TicketId, a.Id });
        builder.HasIndex(a => new { a.BuyerId, a.Id });
        builder.HasIndex(a => new { a.SellerId, a.Id });
        builder.HasIndex(a => new { a.ActorUserId, a.Id });
    }
}
