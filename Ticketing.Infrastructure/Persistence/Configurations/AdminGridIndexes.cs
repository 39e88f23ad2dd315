using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;

namespace Ticketing.Infrastructure.Persistence.Configurations;

/// <summary>
/// An index for each sortable column of the admin's listings grid, so that any page in any order is
/// an index scan with a LIMIT rather than a sort of the whole catalogue. Creation time, price and
/// status are served by the public lists' indexes (TicketConfiguration), whose tie-breaks the grid
/// takes over: a second index on status would be rewritten by every reservation and expiry.
/// </summary>
internal sealed class TicketAdminGridIndexes : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> builder)
    {
        builder.HasIndex(t => new { t.IsWithdrawn, t.Title, t.Id });
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
