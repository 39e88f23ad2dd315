using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;

namespace Ticketing.Infrastructure.Persistence.Configurations;

internal sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> builder)
    {
        builder.ToTable("tickets");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Ignore(t => t.DomainEvents);
        builder.Ignore(t => t.IsLocked);
        builder.Property(t => t.Version).IsRequired();
        builder.Property(t => t.Title).HasMaxLength(TicketDetails.MaxTitleLength).IsRequired();
        builder.Property(t => t.Venue).HasMaxLength(TicketDetails.MaxVenueLength);
        builder.Property(t => t.Description).HasMaxLength(TicketDetails.MaxDescriptionLength);
        builder.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(t => t.OrderId);

        // The lists read a page at a time, newest first (ties on creation time broken by id), by status,
        // by seller, or by price or event date (ties newest first); each reads its page off an index
        // in the list's own order instead of sorting the whole market.
        builder.HasIndex(t => new { t.IsWithdrawn, t.CreatedAt, t.Id });
        builder.HasIndex(t => new { t.IsWithdrawn, t.Status, t.CreatedAt, t.Id });
        builder.HasIndex(t => new { t.SellerId, t.IsWithdrawn, t.CreatedAt, t.Id });
        builder.HasIndex(t => new { t.IsWithdrawn, t.Price, t.CreatedAt, t.Id }).IsDescending(false, false, true, true);
        builder.HasIndex(t => new { t.IsWithdrawn, t.EventDate, t.CreatedAt, t.Id }).IsDescending(false, false, true, true);
    }
}

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.ToTable("orders");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.Ignore(o => o.DomainEvents);
        builder.Ignore(o => o.IsLive);
        builder.Property(o => o.TicketTitle).HasMaxLength(TicketDetails.MaxTitleLength).IsRequired();
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(24);
        builder.Property(o => o.CancellationReason).HasConversion<string>().HasMaxLength(16);
        builder.Ignore(o => o.IsCharging);
        builder.Property(o => o.PaymentReference).HasMaxLength(255);
        builder.Property(o => o.PaymentAttempt).HasConversion<string>().HasMaxLength(24);
        // The buyer's orders, a page at a time in creation order (ties broken by id).
        builder.HasIndex(o => new { o.BuyerId, o.CreatedAt, o.Id });

        // Every reservation counts its buyer's live orders (the cap, decision 12). Without this, SQLite
        // answers that count off (Status, ExpiresAt), reading every live order on the market.
        builder.HasIndex(o => new { o.BuyerId, o.Status, o.ExpiresAt });
        builder.HasIndex(o => o.TicketId);
        builder.HasIndex(o => new { o.Status, o.ExpiresAt });
    }
}

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> builder)
    {
        builder.ToTable("payments");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Ignore(p => p.DomainEvents);
        builder.Ignore(p => p.AmountOwed);
        builder.Property(p => p.Currency).HasMaxLength(3).IsRequired();
        builder.Property(p => p.ProviderReference).HasMaxLength(255).IsRequired();
        builder.Property(p => p.RefundReference).HasMaxLength(255);
        builder.Property(p => p.DisputeReference).HasMaxLength(255);
        builder.Property(p => p.DisputeReason).HasMaxLength(64);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.RefundReason).HasConversion<string>().HasMaxLength(24);

        // One row per provider charge, so that a redelivered webhook records nothing twice; and at
        // most one charge that pays each order. Refunded and refund-owed charges stay on the books
        // beside it. (Quoted with double quotes, which both SQLite and SQL Server accept.)
        builder.HasIndex(p => p.ProviderReference).IsUnique();
        builder.HasIndex(p => p.OrderId).IsUnique().HasFilter("\"Status\" = 'Succeeded'").HasDatabaseName("IX_payments_OrderId_Succeeded");
        builder.HasIndex(p => p.Status);
    }
}
