using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Infrastructure.Admin;

/// <summary>
/// The admin dashboard's reads across the Tickets, Orders and Identity tables, and its one write of
/// its own: cancelling a reservation. Listing edits and withdrawals go through <see cref="TicketListings"/>
/// with an admin <see cref="Actor"/>, so that the same rules apply as for sellers.
/// Every read is a page, an aggregate or a stream: nothing here loads the whole catalogue.
/// </summary>
[Scoped]
public sealed class AdminDashboard(IDbContextFactory<TicketingDbContext> contexts, TicketOrders ticketOrders)
{
    private const string LikeEscape = "\\";

    /// <summary>Counts and revenue, aggregated by the database.</summary>
    public async Task<DashboardFigures> GetFiguresAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var counts = await db.Tickets.AsNoTracking()
            .Where(t => !t.IsWithdrawn)
            .GroupBy(t => t.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);

        // On SQLite the price column holds integer cents (a value converter), so this is SUM over
        // integers, exact however many orders, and the converter turns the total back into money.
        // On SQL Server it is SUM over decimal(18,2), exact too.
        var revenue = await db.Orders.AsNoTracking()
            .Where(o => o.Status == OrderStatus.Complete)
            .SumAsync(o => o.Price, cancellationToken);

        int CountOf(TicketStatus status) => counts.FirstOrDefault(c => c.Status == status)?.Count ?? 0;
        return new DashboardFigures(
            counts.Sum(c => c.Count),
            CountOf(TicketStatus.Available),
            CountOf(TicketStatus.Reserved),
            CountOf(TicketStatus.Sold),
            revenue);
    }

    /// <summary>One page of the listings on the market, with their sellers' emails.</summary>
    public Task<AdminPage<AdminListing>> ListListingsAsync(AdminQuery<AdminListingSort> query, CancellationToken cancellationToken = default) =>
        ReadPageAsync(query, db => ListingQueries(db, query), r => r.ToListing(), cancellationToken);

    /// <summary>Every listing, newest first, read one row at a time (for the export).</summary>
    public IAsyncEnumerable<AdminListing> StreamListingsAsync(CancellationToken cancellationToken = default) =>
        StreamAsync(db => Project(Listings(db).SortBy(l => l.Row.CreatedAt, descending: true).ThenSortBy(l => l.Row.Id, descending: true)), r => r.ToListing(), cancellationToken);

    /// <summary>One page of the orders, with their buyers' emails.</summary>
    public Task<AdminPage<AdminOrder>> ListOrdersAsync(AdminQuery<AdminOrderSort> query, CancellationToken cancellationToken = default) =>
        ReadPageAsync(query, db => OrderQueries(db, query), r => r.ToOrder(), cancellationToken);

    public async Task<AdminOrder?> FindOrderAsync(Guid orderId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await Project(Orders(db).Where(o => o.Row.Id == orderId)).FirstOrDefaultAsync(cancellationToken);
        return row?.ToOrder();
    }

    /// <summary>Every order, newest first, read one row at a time (for the export).</summary>
    public IAsyncEnumerable<AdminOrder> StreamOrdersAsync(CancellationToken cancellationToken = default) =>
        StreamAsync(db => Project(Orders(db).SortBy(o => o.Row.CreatedAt, descending: true).ThenSortBy(o => o.Row.Id, descending: true)), r => r.ToOrder(), cancellationToken);

    /// <summary>Cancels a live order on an admin's authority; its ticket goes back on the market.</summary>
    public async Task<AdminOrder> CancelReservationAsync(Actor admin, Guid orderId, CancellationToken cancellationToken = default)
    {
        if (!admin.IsAdmin)
        {
            throw new AccessDeniedException();
        }

        await ticketOrders.CancelAsync(admin, orderId, cancellationToken);
        return await FindOrderAsync(orderId, cancellationToken) ?? throw new NotFoundException("Order not found");
    }

    /// <summary>
    /// The listings matching the query's search (to count) and the page of them to show. Internal so
    /// that tests can check that both providers translate them.
    /// </summary>
    internal static (IQueryable<WithEmail<Ticket>> Matching, IQueryable<ListingColumns> Page) ListingQueries(
        TicketingDbContext db, AdminQuery<AdminListingSort> query)
    {
        var listings = Listings(db);
        if (Normalize(query.Search) is { } search)
        {
            var like = ContainsPattern(search);
            listings = listings.Where(l =>
                EF.Functions.Like(l.Row.Title, like, LikeEscape)
                || EF.Functions.Like(l.Row.Venue, like, LikeEscape)
                || EF.Functions.Like(l.Email, like, LikeEscape));
        }

        // Ties are broken so that every sort is one scan of an index the public lists already keep
        // (TicketConfiguration) and a page boundary never splits or repeats rows: by id for title and
        // creation time; by creation time and id for status (the order of the status list) and for
        // price (newest first among equal prices, as the market's price sort). Every reservation
        // rewrites a ticket's status, so a second status index of the admin's own cost every one.
        var descending = query.Descending;
        var sorted = query.SortBy switch
        {
            AdminListingSort.Title => listings.SortBy(l => l.Row.Title, descending).ThenSortBy(l => l.Row.Id, descending),
            AdminListingSort.Price => listings.SortBy(l => l.Row.Price, descending).ThenSortBy(l => l.Row.CreatedAt, !descending).ThenSortBy(l => l.Row.Id, !descending),
            AdminListingSort.Status => listings.SortBy(l => l.Row.Status, descending).ThenSortBy(l => l.Row.CreatedAt, descending).ThenSortBy(l => l.Row.Id, descending),
            _ => listings.SortBy(l => l.Row.CreatedAt, descending).ThenSortBy(l => l.Row.Id, descending),
        };
        var (offset, size) = Slice(query.Page, query.PageSize);
        var page = sorted.Skip((int)Math.Min(offset, int.MaxValue)).Take(size);
        return (listings, Project(page));
    }

    /// <summary>The orders matching the query's search (to count) and the page of them to show.</summary>
    internal static (IQueryable<WithEmail<Order>> Matching, IQueryable<OrderColumns> Page) OrderQueries(
        TicketingDbContext db, AdminQuery<AdminOrderSort> query)
    {
        var orders = Orders(db);
        if (Normalize(query.Search) is { } search)
        {
            var like = ContainsPattern(search);
            var id = Guid.TryParse(search, out var parsed) ? parsed : (Guid?)null;
            var statuses = Enum.GetValues<OrderStatus>()
                .Where(s => s.ToWire().Contains(search, StringComparison.OrdinalIgnoreCase))
                .ToList();
            orders = orders.Where(o =>
                EF.Functions.Like(o.Row.TicketTitle, like, LikeEscape)
                || EF.Functions.Like(o.Email, like, LikeEscape)
                || o.Row.Id == id
                || o.Row.TicketId == id
                || statuses.Contains(o.Row.Status));
        }

        var descending = query.Descending;
        var sorted = query.SortBy switch
        {
            AdminOrderSort.Title => orders.SortBy(o => o.Row.TicketTitle, descending),
            AdminOrderSort.Price => orders.SortBy(o => o.Row.Price, descending),
            AdminOrderSort.Status => orders.SortBy(o => o.Row.Status, descending),
            _ => orders.SortBy(o => o.Row.CreatedAt, descending),
        };
        var (offset, size) = Slice(query.Page, query.PageSize);
        var page = sorted.ThenSortBy(o => o.Row.Id, descending).Skip((int)Math.Min(offset, int.MaxValue)).Take(size);
        return (orders, Project(page));
    }

    private static IQueryable<WithEmail<Ticket>> Listings(TicketingDbContext db)
    {
        // Compared with a parameter rather than written !t.IsWithdrawn: EF writes that as
        // NOT ("IsWithdrawn") on SQLite, which its planner does not match to the indexes' leading
        // IsWithdrawn column, and every page would then sort the whole table.
        var withdrawn = false;
        return db.Tickets.AsNoTracking().Where(t => t.IsWithdrawn == withdrawn).WithEmailOf(db, t => t.SellerId);
    }

    private static IQueryable<WithEmail<Order>> Orders(TicketingDbContext db) => db.Orders.AsNoTracking().WithEmailOf(db, o => o.BuyerId);

    // Straight to the columns shown: materializing aggregates only to copy them costs time.
    private static IQueryable<ListingColumns> Project(IQueryable<WithEmail<Ticket>> listings) =>
        listings.Select(l => new ListingColumns(
            l.Row.Id,
            l.Row.Version,
            new TicketSnapshot(
                l.Row.SellerId, l.Row.Title, l.Row.Price, l.Row.Status, l.Row.OrderId, l.Row.ReservedUntil,
                l.Row.EventDate, l.Row.Venue, l.Row.Description, l.Row.IsWithdrawn),
            l.Row.CreatedAt,
            l.Email));

    private static IQueryable<OrderColumns> Project(IQueryable<WithEmail<Order>> orders) =>
        orders.Select(o => new OrderColumns(
            o.Row.Id, o.Row.TicketId, o.Row.TicketTitle, o.Row.Price, o.Row.BuyerId, o.Email, o.Row.Status,
            o.Row.CancellationReason, o.Row.CreatedAt, o.Row.ExpiresAt, o.Row.Version));

    /// <summary>
    /// One page of a grid: the count of the matching rows, then the page's rows unless it lies past
    /// the end. A search longer than any stored value matches nothing and reads nothing.
    /// </summary>
    private async Task<AdminPage<TView>> ReadPageAsync<TSort, TMatch, TRow, TView>(
        AdminQuery<TSort> query,
        Func<TicketingDbContext, (IQueryable<TMatch> Matching, IQueryable<TRow> Page)> queries,
        Func<TRow, TView> view,
        CancellationToken cancellationToken)
        where TSort : struct, Enum
    {
        if (Normalize(query.Search) is { Length: > AdminQuery.MaxSearchLength })
        {
            return new AdminPage<TView>([], 0);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var (matching, page) = queries(db);
        var total = await matching.CountAsync(cancellationToken);
        if (Slice(query.Page, query.PageSize).Offset >= total)
        {
            return new AdminPage<TView>([], total);
        }

        var rows = await page.ToListAsync(cancellationToken);
        return new AdminPage<TView>(rows.ConvertAll(r => view(r)), total);
    }

    /// <summary>The query's rows one at a time, on a context of their own that lives as long as the enumeration.</summary>
    private async IAsyncEnumerable<TView> StreamAsync<TRow, TView>(
        Func<TicketingDbContext, IQueryable<TRow>> query, Func<TRow, TView> view, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await foreach (var row in query(db).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return view(row);
        }
    }

    /// <summary>The offset and size of a page, in range: a huge page number is simply past the end.</summary>
    private static (long Offset, int Size) Slice(int page, int pageSize)
    {
        var size = Math.Clamp(pageSize, 1, AdminQuery.MaxPageSize);
        return ((long)Math.Max(page, 0) * size, size);
    }

    private static string? Normalize(string? search) => string.IsNullOrWhiteSpace(search) ? null : search.Trim();

    /// <summary>
    /// A LIKE pattern for "contains": the search's own wildcards are escaped, including SQL Server's
    /// <c>[</c>; SQLite takes the escape before any character. Both compare every letter without case
    /// (SQLite's LIKE as the app's connections have it, <see cref="Persistence.SqliteUnicodeLike"/>;
    /// SQL Server's default collation).
    /// </summary>
    private static string ContainsPattern(string search)
    {
        var escaped = search
            .Replace(LikeEscape, LikeEscape + LikeEscape, StringComparison.Ordinal)
            .Replace("%", LikeEscape + "%", StringComparison.Ordinal)
            .Replace("_", LikeEscape + "_", StringComparison.Ordinal)
            .Replace("[", LikeEscape + "[", StringComparison.Ordinal);
        return "%" + escaped + "%";
    }

    internal sealed record ListingColumns(Guid Id, int Version, TicketSnapshot Snapshot, DateTimeOffset CreatedAt, string? Email)
    {
        public AdminListing ToListing() => new(TicketView.From(Id, Version, Snapshot), Email, CreatedAt);
    }

    internal sealed record OrderColumns(
        Guid Id,
        Guid TicketId,
        string TicketTitle,
        decimal Price,
        Guid BuyerId,
        string? Email,
        OrderStatus Status,
        CancellationReason? CancellationReason,
        DateTimeOffset CreatedAt,
        DateTimeOffset ExpiresAt,
        int Version)
    {
        public AdminOrder ToOrder() => new(
            Id, TicketId, TicketTitle, Price, BuyerId, Email, Status.ToWire(),
            CancellationReason?.ToWire(), CreatedAt, ExpiresAt, Version);
    }
}

internal static class AdminSorting
{
    public static IOrderedQueryable<T> SortBy<T, TKey>(this IQueryable<T> source, Expression<Func<T, TKey>> key, bool descending) =>
        descending ? source.OrderByDescending(key) : source.OrderBy(key);

    public static IOrderedQueryable<T> ThenSortBy<T, TKey>(this IOrderedQueryable<T> source, Expression<Func<T, TKey>> key, bool descending) =>
        descending ? source.ThenByDescending(key) : source.ThenBy(key);
}
