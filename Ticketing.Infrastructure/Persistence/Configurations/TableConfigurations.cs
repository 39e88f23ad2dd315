using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Domain.Delivery;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Audit;
using Ticketing.Infrastructure.Delivery;
using Ticketing.Infrastructure.Email;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Orders;

namespace Ticketing.Infrastructure.Persistence.Configurations;

// Each table's own columns and indexes. What tables share is mapped once, by TicketingDbContext: an
// aggregate's id, events and concurrency token; a claimable row's claim columns; enums by name.

internal sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> builder)
    {
        builder.ToTable("tickets");
        builder.Property(t => t.Title).HasMaxLength(TicketDetails.MaxTitleLength);
        builder.Property(t => t.Venue).HasMaxLength(TicketDetails.MaxVenueLength);
        builder.Property(t => t.Description).HasMaxLength(TicketDetails.MaxDescriptionLength);
        builder.HasIndex(t => t.OrderId);

        // The lists read a page at a time, newest first (ties on creation time broken by id), by status,
        // by seller, or by price or event date (ties newest first); each reads its page off an index
        // in the list's own order instead of sorting the whole market.
        builder.HasIndex(t => new { t.IsWithdrawn, t.CreatedAt, t.Id });
        builder.HasIndex(t => new { t.IsWithdrawn, t.Status, t.CreatedAt, t.Id });
        builder.HasIndex(t => new { t.SellerId, t.IsWithdrawn, t.CreatedAt, t.Id });
        builder.HasIndex(t => new { t.IsWithdrawn, t.Price, t.CreatedAt, t.Id }).IsDescending(false, false, true, true);
        builder.HasIndex(t => new { t.IsWithdrawn, t.EventDate, t.CreatedAt, t.Id }).IsDescending(false, false, true, true);

        // The admin's listings grid sorts by any column: each is an index scan with a LIMIT rather than
        // a sort of the whole catalogue. Creation time, price and status are served by the lists'
        // indexes above, whose tie-breaks the grid takes over: a second index on status would be
        // rewritten by every reservation and expiry.
        builder.HasIndex(t => new { t.IsWithdrawn, t.Title, t.Id });
    }
}

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.ToTable("orders");
        builder.Property(o => o.TicketTitle).HasMaxLength(TicketDetails.MaxTitleLength);
        builder.Property(o => o.PaymentReference).HasMaxLength(255);

        // The buyer's orders, a page at a time in creation order (ties broken by id).
        builder.HasIndex(o => new { o.BuyerId, o.CreatedAt, o.Id });

        // Every reservation counts its buyer's live orders (the cap, decision 12). Without this, SQLite
        // answers that count off (Status, ExpiresAt), reading every live order on the market.
        builder.HasIndex(o => new { o.BuyerId, o.Status, o.ExpiresAt });
        builder.HasIndex(o => o.TicketId);
        builder.HasIndex(o => new { o.Status, o.ExpiresAt });

        // The admin's orders grid, like the listings grid: an index for each sortable column.
        builder.HasIndexEachEndingInId(nameof(Order.CreatedAt), nameof(Order.TicketTitle), nameof(Order.Price), nameof(Order.Status));
    }
}

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> builder)
    {
        builder.ToTable("payments");
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.ProviderReference).HasMaxLength(255);
        builder.Property(p => p.RefundReference).HasMaxLength(255);
        builder.Property(p => p.DisputeReference).HasMaxLength(255);
        builder.Property(p => p.DisputeReason).HasMaxLength(64);

        // One row per provider charge, so that a redelivered webhook records nothing twice; and at
        // most one charge that pays each order. Refunded and refund-owed charges stay on the books
        // beside it. (Quoted with double quotes, which both SQLite and SQL Server accept.)
        builder.HasIndex(p => p.ProviderReference).IsUnique();
        builder.HasIndex(p => p.OrderId).IsUnique().HasFilter("\"Status\" = 'Succeeded'").HasDatabaseName("IX_payments_OrderId_Succeeded");
        builder.HasIndex(p => p.Status);
    }
}

internal sealed class BuyerReservationGateConfiguration : IEntityTypeConfiguration<BuyerReservationGate>
{
    public void Configure(EntityTypeBuilder<BuyerReservationGate> builder)
    {
        builder.ToTable("buyer_reservation_gates");
        builder.HasAssignedKey(g => g.BuyerId);
        builder.Property(g => g.Stamp).IsConcurrencyToken();
    }
}

internal sealed class TicketFileConfiguration : IEntityTypeConfiguration<TicketFile>
{
    public void Configure(EntityTypeBuilder<TicketFile> builder)
    {
        builder.ToTable("ticket_files");
        builder.HasAssignedKey(f => f.TicketId);
        builder.Property(f => f.FileName).HasMaxLength(TicketFile.MaxFileNameLength);
        builder.Property(f => f.Sha256).HasMaxLength(64);
        builder.Property(f => f.StorageKey).HasMaxLength(32);
    }
}

internal sealed class ETicketConfiguration : IEntityTypeConfiguration<ETicket>
{
    public void Configure(EntityTypeBuilder<ETicket> builder)
    {
        builder.ToTable("e_tickets");
        builder.HasAssignedKey(e => e.OrderId);
        builder.Property(e => e.Serial).HasMaxLength(ETicketCode.SerialBytes * 2);
        builder.HasIndex(e => e.Serial).IsUnique();
    }
}

/// <summary>The tables of bytes kept under a name: ticket files' content, and the key that signs e-tickets.</summary>
internal sealed class NamedBytesConfiguration : IEntityTypeConfiguration<StoredTicketFile>, IEntityTypeConfiguration<SigningKey>
{
    public void Configure(EntityTypeBuilder<StoredTicketFile> builder)
    {
        builder.ToTable("ticket_file_contents");
        builder.HasNameKey(f => f.Key, 32);
    }

    public void Configure(EntityTypeBuilder<SigningKey> builder)
    {
        builder.ToTable("signing_keys");
        builder.HasNameKey(k => k.Name, 64);
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox_messages");
        builder.HasIndex(m => m.EventId).IsUnique();
        builder.Property(m => m.Type).HasMaxLength(100);
        builder.HasIndex(m => new { m.ProcessedAt, m.Id });
    }
}

internal sealed class OutboxDeliveryConfiguration : IEntityTypeConfiguration<OutboxDelivery>
{
    public void Configure(EntityTypeBuilder<OutboxDelivery> builder)
    {
        builder.ToTable("outbox_deliveries");
        builder.HasKey(d => new { d.MessageId, d.Handler });
        builder.Property(d => d.Handler).HasMaxLength(200);
    }
}

internal sealed class EmailMessageConfiguration : IEntityTypeConfiguration<EmailMessage>
{
    public void Configure(EntityTypeBuilder<EmailMessage> builder)
    {
        builder.ToTable("email_messages");
        builder.HasAssignedKey(m => m.Id);
        builder.Property(m => m.Key).HasMaxLength(200);
        builder.Property(m => m.Recipient).HasMaxLength(256);
        builder.Property(m => m.Subject).HasMaxLength(300);

        // One e-mail per event and recipient, whatever retries or redeliveries happen.
        builder.HasIndex(m => m.Key).IsUnique();

        // The delivery's claim reads the due messages in order of due time.
        builder.HasIndex(m => m.DueAt);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.Property(a => a.Detail).HasMaxLength(500);
        builder.Property(a => a.DetailTemplate).HasMaxLength(AuditText.MaxTemplateLength);
        builder.Property(a => a.DetailArgs).HasMaxLength(AuditText.MaxArgsLength);
        builder.Property(a => a.EventType).HasMaxLength(100);

        // A trail is read by its order or listing in commit order; a search by a user finds them as
        // buyer, seller or actor.
        builder.HasIndexEachEndingInId(
            nameof(AuditEntry.OrderId), nameof(AuditEntry.TicketId), nameof(AuditEntry.BuyerId), nameof(AuditEntry.SellerId), nameof(AuditEntry.ActorUserId));
    }
}

internal sealed class ClosedAccountConfiguration : IEntityTypeConfiguration<ClosedAccount>
{
    public void Configure(EntityTypeBuilder<ClosedAccount> builder)
    {
        builder.ToTable("closed_accounts");
        builder.HasNameKey(a => a.Key, ClosedAccount.KeyLength).IsUnicode(false);
    }
}

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
