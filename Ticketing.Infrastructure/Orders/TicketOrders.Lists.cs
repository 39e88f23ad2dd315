using Ticketing.Infrastructure.Paging;

namespace Ticketing.Infrastructure.Orders;

/// <summary>The buyer's orders, read a page at a time.</summary>
public sealed partial class TicketOrders
{
    /// <summary>
    /// The buyer's orders, oldest first, from just after <paramref name="after"/>: the API's list,
    /// walked page by page with the returned cursor.
    /// </summary>
    public async Task<CursorPage<OrderView>> ListForBuyerAsync(Guid buyerId, ListCursor? after, int limit, CancellationToken cancellationToken = default)
    {
        Pagination.CheckLimit(limit);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Orders.AsNoTracking().Where(o => o.BuyerId == buyerId);
        if (after is { } cursor)
        {
            query = query.Where(o => o.CreatedAt > cursor.CreatedAt || (o.CreatedAt == cursor.CreatedAt && o.Id > cursor.Id));
        }

        // One row more than asked says whether there is a next page.
        var orders = await query.OrderBy(o => o.CreatedAt).ThenBy(o => o.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var next = orders.Count > limit ? new ListCursor(orders[limit - 1].CreatedAt, orders[limit - 1].Id) : (ListCursor?)null;
        var shown = await WithTicketsAsync(db, orders.Take(limit).ToList(), cancellationToken);
        return new CursorPage<OrderView>(shown.ConvertAll(o => o.Order), next);
    }

    /// <summary>Page <paramref name="number"/> of the buyer's orders, newest first. A number out of range shows the nearest page.</summary>
    public async Task<NumberedPage<ShownOrder>> PageForBuyerAsync(Guid buyerId, int number, int size, CancellationToken cancellationToken = default)
    {
        Pagination.CheckLimit(size);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Orders.AsNoTracking().Where(o => o.BuyerId == buyerId);
        var total = await query.CountAsync(cancellationToken);
        var page = Pagination.ClampPage(number, size, total);
        var orders = await query.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id)
            .Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new NumberedPage<ShownOrder>(await WithTicketsAsync(db, orders, cancellationToken), page, size, total);
    }

    /// <summary>The page's orders, in its order, each with its ticket as it is now (the title it was bought under once gone).</summary>
    private static async Task<List<ShownOrder>> WithTicketsAsync(TicketingDbContext db, List<Order> orders, CancellationToken cancellationToken)
    {
        var ids = orders.Select(o => o.TicketId).Distinct().ToList();
        var tickets = ids.Count == 0
            ? []
            : await db.Tickets.AsNoTracking().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, cancellationToken);
        return orders.ConvertAll(o => ShownOrder.From(o, tickets.GetValueOrDefault(o.TicketId)));
    }
}
