using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Infrastructure.Orders;

namespace Ticketing.Infrastructure.Persistence.Configurations;

internal sealed class BuyerReservationGateConfiguration : IEntityTypeConfiguration<BuyerReservationGate>
{
    public void Configure(EntityTypeBuilder<BuyerReservationGate> builder)
    {
        builder.ToTable("buyer_reservation_gates");
        builder.HasKey(g => g.BuyerId);
        builder.Property(g => g.BuyerId).ValueGeneratedNever();
        builder.Property(g => g.Stamp).IsConcurrencyToken();
    }
}
