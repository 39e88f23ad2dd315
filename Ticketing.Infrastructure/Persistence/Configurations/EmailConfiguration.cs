using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Infrastructure.Email;

namespace Ticketing.Infrastructure.Persistence.Configurations;

internal sealed class EmailMessageConfiguration : IEntityTypeConfiguration<EmailMessage>
{
    public void Configure(EntityTypeBuilder<EmailMessage> builder)
    {
        builder.ToTable("email_messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Ignore(m => m.MessageId);
        builder.Property(m => m.Key).HasMaxLength(200).IsRequired();
        builder.Property(m => m.Recipient).HasMaxLength(256).IsRequired();
        builder.Property(m => m.Subject).HasMaxLength(300).IsRequired();
        builder.Property(m => m.LastError).HasMaxLength(2000);
        builder.Property(m => m.LockedBy).HasMaxLength(200);

        // One e-mail per event and recipient, whatever retries or redeliveries happen.
        builder.HasIndex(m => m.Key).IsUnique();

        // The delivery's claim reads the due messages in order of due time.
        builder.HasIndex(m => m.DueAt);
    }
}
