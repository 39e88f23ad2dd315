using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tickets;

namespace Ticketing.Infrastructure.Admin;

/// <summary>The market at a glance: listings by status and the money taken.</summary>
/// <param name="Listed">Every listing on the market (available, reserved and sold).</param>
/// <param name="Revenue">The sum of the prices of completed orders.</param>
public sealed record DashboardFigures(int Listed, int Available, int Reserved, int Sold, decimal Revenue);

/// <summary>A listing as the admin sees it: the public ticket plus who sells it.</summary>
public sealed record AdminListing(TicketView Ticket, string? SellerEmail, DateTimeOffset ListedAt);

/// <summary>An order as the admin sees it, with its buyer and why it was cancelled.</summary>
/// <param name="CancellationReason">user, expired or admin; null unless cancelled.</param>
public sealed record AdminOrder(
    Guid Id,
    Guid TicketId,
    string TicketTitle,
    decimal Price,
    Guid BuyerId,
    string? BuyerEmail,
    string Status,
    string? CancellationReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    int Version)
{
    /// <summary>Still holding its ticket and payable (created or awaiting payment).</summary>
    public bool IsLive => Status is "created" or "awaiting:payment";
}

/// <summary>
/// The admin dashboard's reads across the Tickets, Orders and Identity tables, and its one write of
/// its own: cancelling a reservation. Listing edits and withdrawals go through <see cref="TicketListings"/>
/// with an admin <see cref="Actor"/>, so that the same rules apply as for sellers.
/// </summary>
public sealed class AdminDashboard(IDbContextFactory<TicketingDbContext> contexts, Reservations reservations)
{
    public async Task<DashboardFigures> GetFiguresAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var counts = await db.Tickets.AsNoTracking()
            .Where(t => !t.IsWithdrawn)
            .GroupBy(t => t.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);

        // Summed here rather than in SQL: SQLite stores money as integer cents through a value
        // converter, and an aggregate over a converted column is not something to rely on.
        var paidPrices = await db.Orders.AsNoTracking()
            .Where(o => o.Status == OrderStatus.Complete)
            .Select(o => o.Price)
            .ToListAsync(cancellationToken);

        int CountOf(TicketStatus status) => counts.FirstOrDefault(c => c.Status == status)?.Count ?? 0;
        return new DashboardFigures(
            counts.Sum(c => c.Count),
            CountOf(TicketStatus.Available),
            CountOf(TicketStatus.Reserved),
            CountOf(TicketStatus.Sold),
            paidPrices.Sum());
    }

    /// <summary>Every listing on the market, newest first, with its seller's email.</summary>
    public async Task<IReadOnlyList<AdminListing>> ListListingsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await ListingsQuery(db, ticketId: null).ToListAsync(cancellationToken);
        return rows.ConvertAll(ToAdminListing);
    }

    /// <summary>One listing, or null when it does not exist or was withdrawn.</summary>
    public async Task<AdminListing?> FindListingAsync(Guid ticketId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await ListingsQuery(db, ticketId).ToListAsync(cancellationToken);
        return rows.Count == 0 ? null : ToAdminListing(rows[0]);
    }

    /// <summary>Every order, newest first, with its buyer's email.</summary>
    public async Task<IReadOnlyList<AdminOrder>> ListOrdersAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await OrdersQuery(db, orderId: null).ToListAsync(cancellationToken);
        return rows.ConvertAll(ToAdminOrder);
    }

    public async Task<AdminOrder?> FindOrderAsync(Guid orderId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await OrdersQuery(db, orderId).ToListAsync(cancellationToken);
        return rows.Count == 0 ? null : ToAdminOrder(rows[0]);
    }

    /// <summary>Cancels a live order on an admin's authority; its ticket goes back on the market.</summary>
    public async Task<AdminOrder> CancelReservationAsync(Actor admin, Guid orderId, CancellationToken cancellationToken = default)
    {
        if (!admin.IsAdmin)
        {
            throw new AccessDeniedException();
        }

        await reservations.CancelAsync(admin, orderId, cancellationToken);
        return await FindOrderAsync(orderId, cancellationToken) ?? throw new NotFoundException("Order not found");
    }

    /// <summary>Listings newest first with their seller's email; one listing when <paramref name="ticketId"/> is given.</summary>
    private static IQueryable<ListingRow> ListingsQuery(TicketingDbContext db, Guid? ticketId)
    {
        var tickets = db.Tickets.AsNoTracking().Where(t => !t.IsWithdrawn);
        if (ticketId is { } id)
        {
            tickets = tickets.Where(t => t.Id == id);
        }

        return from t in tickets
               join u in db.Users.AsNoTracking() on t.SellerId equals u.Id into sellers
               from s in sellers.DefaultIfEmpty()
               orderby t.CreatedAt descending
               select new ListingRow { Ticket = t, Email = s == null ? null : s.Email };
    }

    /// <summary>Orders newest first with their buyer's email; one order when <paramref name="orderId"/> is given.</summary>
    private static IQueryable<OrderRow> OrdersQuery(TicketingDbContext db, Guid? orderId)
    {
        var orders = db.Orders.AsNoTracking();
        if (orderId is { } id)
        {
            orders = orders.Where(o => o.Id == id);
        }

        return from o in orders
               join u in db.Users.AsNoTracking() on o.BuyerId equals u.Id into buyers
               from b in buyers.DefaultIfEmpty()
               orderby o.CreatedAt descending
               select new OrderRow { Order = o, Email = b == null ? null : b.Email };
    }

    private static AdminListing ToAdminListing(ListingRow row) =>
        new(TicketView.From(row.Ticket), row.Email, row.Ticket.CreatedAt);

    private static AdminOrder ToAdminOrder(OrderRow row)
    {
        var o = row.Order;
        return new AdminOrder(
            o.Id,
            o.TicketId,
            o.TicketTitle,
            o.Price,
            o.BuyerId,
            row.Email,
            o.Status.ToWire(),
            o.CancellationReason?.ToString().ToLowerInvariant(),
            o.CreatedAt,
            o.ExpiresAt,
            o.Version);
    }

    private sealed class ListingRow
    {
        public required Ticket Ticket { get; init; }

        public string? Email { get; init; }
    }

    private sealed class OrderRow
    {
        public required Order Order { get; init; }

        public string? Email { get; init; }
    }
}
