using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Infrastructure.Persistence.Configurations;

internal sealed class ClosedAccountConfiguration : IEntityTypeConfiguration<ClosedAccount>
{
    public void Configure(EntityTypeBuilder<ClosedAccount> builder)
    {
        builder.ToTable("closed_accounts");
        builder.HasKey(a => a.Key);
        builder.Property(a => a.Key).HasMaxLength(ClosedAccount.KeyLength).IsUnicode(false);
    }
}
