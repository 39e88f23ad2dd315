using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;

namespace Ticketing.Infrastructure.Persistence.Configurations;

/// <summary>
/// One index per sortable column of the admin's listings grid, so that any page in any order is an
/// index scan with a LIMIT rather than a sort of the whole catalogue. The id ends each index because
/// ties are broken by id (SQLite's indexes otherwise end in its hidden rowid; on SQL Server the id is
/// the clustering key, so there it costs nothing).
/// </summary>
internal sealed class TicketAdminGridIndexes : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> builder)
    {
        builder.HasIndex(t => new { t.IsWithdrawn, t.CreatedAt, t.Id });
        builder.HasIndex(t => new { t.IsWithdrawn, t.Title, t.Id });
        builder.HasIndex(t => new { t.IsWithdrawn, t.Price, t.Id });
        builder.HasIndex(t => new { t.IsWithdrawn, t.Status, t.Id });
    }
}

/// <summary>The same for the admin's orders grid.</summary>
internal sealed class OrderAdminGridIndexes : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.HasIndex(o => new { o.CreatedAt, o.Id });
        builder.HasIndex(o => new { o.TicketTitle, o.Id });
        builder.HasIndex(o => new { o.Price, o.Id });
        builder.HasIndex(o => new { o.Status, o.Id });
    }
}
