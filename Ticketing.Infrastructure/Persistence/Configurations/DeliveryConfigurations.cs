using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Domain.Delivery;
using Ticketing.Infrastructure.Delivery;

namespace Ticketing.Infrastructure.Persistence.Configurations;

internal sealed class TicketFileConfiguration : IEntityTypeConfiguration<TicketFile>
{
    public void Configure(EntityTypeBuilder<TicketFile> builder)
    {
        builder.ToTable("ticket_files");
        builder.HasKey(f => f.TicketId);
        builder.Property(f => f.TicketId).ValueGeneratedNever();
        builder.Property(f => f.FileName).HasMaxLength(TicketFile.MaxFileNameLength).IsRequired();
        builder.Property(f => f.Kind).HasConversion<string>().HasMaxLength(8);
        builder.Property(f => f.Sha256).HasMaxLength(64).IsRequired();
        builder.Property(f => f.StorageKey).HasMaxLength(32).IsRequired();
    }
}

internal sealed class StoredTicketFileConfiguration : IEntityTypeConfiguration<StoredTicketFile>
{
    public void Configure(EntityTypeBuilder<StoredTicketFile> builder)
    {
        builder.ToTable("ticket_file_contents");
        builder.HasKey(f => f.Key);
        builder.Property(f => f.Key).HasMaxLength(32);
        builder.Property(f => f.Content).IsRequired();
    }
}

internal sealed class ETicketConfiguration : IEntityTypeConfiguration<ETicket>
{
    public void Configure(EntityTypeBuilder<ETicket> builder)
    {
        builder.ToTable("e_tickets");
        builder.HasKey(e => e.OrderId);
        builder.Property(e => e.OrderId).ValueGeneratedNever();
        builder.Property(e => e.Serial).HasMaxLength(ETicketCode.SerialBytes * 2).IsRequired();
        builder.HasIndex(e => e.Serial).IsUnique();
    }
}

internal sealed class SigningKeyConfiguration : IEntityTypeConfiguration<SigningKey>
{
    public void Configure(EntityTypeBuilder<SigningKey> builder)
    {
        builder.ToTable("signing_keys");
        builder.HasKey(k => k.Name);
        builder.Property(k => k.Name).HasMaxLength(64);
        builder.Property(k => k.Secret).IsRequired();
    }
}
