using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Infrastructure.Persistence.Configurations;

internal sealed class SignInLockoutConfiguration : IEntityTypeConfiguration<SignInLockout>
{
    public void Configure(EntityTypeBuilder<SignInLockout> builder)
    {
        builder.ToTable("sign_in_lockouts");
        builder.HasKey(l => new { l.UserId, l.Client });
        builder.Property(l => l.Client).HasMaxLength(SignInLockout.MaxClientLength);
        builder.HasIndex(l => l.LastFailureAt);
    }
}
