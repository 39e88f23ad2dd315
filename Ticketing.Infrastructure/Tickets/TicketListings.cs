using Ticketing.Domain.Tickets.Rules;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Paging;

namespace Ticketing.Infrastructure.Tickets;

public sealed record TicketInput(string? Title, decimal Price, DateTimeOffset? EventDate = null, string? Venue = null, string? Description = null);

/// <summary>The Tickets context's use cases: list, edit and withdraw listings, and read them.</summary>
[Scoped]
public sealed class TicketListings(IDbContextFactory<TicketingDbContext> contexts, ClosedAccounts closedAccounts, TimeProvider clock)
{
    /// <summary>How often an edit sent without a version is decided again after losing the row to another edit.</summary>
    private const int MaxUnversionedEditAttempts = 20;

    private const string LikeEscape = "\\";

    public async Task<TicketView> CreateAsync(Actor seller, TicketInput input, CancellationToken cancellationToken = default)
    {
        var details = TicketDetails.Create(input.Title, input.Price, input.EventDate, input.Venue, input.Description);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ticket = Ticket.List(Guid.NewGuid(), seller.UserId, details, clock.GetUtcNow());
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync(cancellationToken);
        await closedAccounts.ThrowIfClosedAsync(seller.UserId, cancellationToken);
        return TicketView.From(ticket);
    }

    /// <summary>
    /// Replaces the listing's details. With <paramref name="expectedVersion"/>, only that version is
    /// edited (else a conflict). Without one, the edit replaces whatever the listing holds when it is
    /// saved: losing the row to another edit only means deciding again on the row as it is now, and
    /// only a reservation that got there first refuses it (the ticket is locked).
    /// </summary>
    /// <param name="expectedVersion">The version the editor saw; a newer one on the server is a conflict.</param>
    public async Task<TicketView> EditAsync(Actor editor, Guid ticketId, TicketInput input, int? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await EditOnceAsync(editor, ticketId, input, expectedVersion, cancellationToken);
            }
            catch (ConcurrencyConflictException) when (expectedVersion is null && attempt < MaxUnversionedEditAttempts)
            {
                // Another edit saved first: this one goes over it, as if it had come a moment later.
            }
        }
    }

    private async Task<TicketView> EditOnceAsync(Actor editor, Guid ticketId, TicketInput input, int? expectedVersion, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // Which listing, and whose, before what is sent: an unknown one is a 404 and someone else's a 401, whatever the body.
        var ticket = await FindForChangeAsync(db, editor, ticketId, cancellationToken);
        var details = TicketDetails.Create(input.Title, input.Price, input.EventDate, input.Venue, input.Description);
        if (ticket.IsLocked)
        {
            throw new BusinessRuleViolationException(new TicketMustNotBeLockedRule(ticket.Status));
        }

        if (expectedVersion is { } seen && seen != ticket.Version)
        {
            throw new ConcurrencyConflictException("The ticket was changed by someone else; reload it and try again");
        }

        ticket.Edit(details, clock.GetUtcNow());
        await SaveOrExplainAsync(db, ticketId, cancellationToken);
        return TicketView.From(ticket);
    }

    public async Task WithdrawAsync(Actor actor, Guid ticketId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ticket = await FindForChangeAsync(db, actor, ticketId, cancellationToken);
        ticket.Withdraw(clock.GetUtcNow());
        await SaveOrExplainAsync(db, ticketId, cancellationToken);
    }

    public async Task<TicketView?> FindAsync(Guid ticketId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticketId && !t.IsWithdrawn, cancellationToken);
        return ticket is null ? null : TicketView.From(ticket);
    }

    /// <summary>
    /// The listings matching <paramref name="filter"/>, newest first, from just after
    /// <paramref name="after"/>: the API's list, walked page by page with the returned cursor.
    /// </summary>
    public async Task<CursorPage<TicketView>> ListAsync(TicketFilter filter, ListCursor? after, int limit, CancellationToken cancellationToken = default)
    {
        Pagination.CheckLimit(limit);
        if (filter.MatchesNothing)
        {
            return new CursorPage<TicketView>([], null);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = Filtered(db, filter);
        if (after is { } cursor)
        {
            query = query.Where(t => t.CreatedAt < cursor.CreatedAt || (t.CreatedAt == cursor.CreatedAt && t.Id < cursor.Id));
        }

        // Straight to the snapshot: materializing aggregates only to snapshot them costs a fifth of
        // the query's time. One row more than asked says whether there is a next page.
        var rows = await query.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
            .Take(limit + 1)
            .Select(t => new
            {
                t.Id,
                t.Version,
                t.CreatedAt,
                Snapshot = new TicketSnapshot(
                    t.SellerId, t.Title, t.Price, t.Status, t.OrderId, t.ReservedUntil, t.EventDate, t.Venue, t.Description, t.IsWithdrawn),
            })
            .ToListAsync(cancellationToken);
        var items = rows.Take(limit).Select(r => TicketView.From(r.Id, r.Version, r.Snapshot)).ToList();
        var next = rows.Count > limit ? new ListCursor(rows[limit - 1].CreatedAt, rows[limit - 1].Id) : (ListCursor?)null;
        return new CursorPage<TicketView>(items, next);
    }

    /// <summary>
    /// Page <paramref name="number"/> of the listings matching <paramref name="filter"/> in
    /// <paramref name="sort"/> order, as cards. A number out of range shows the nearest page.
    /// </summary>
    public async Task<NumberedPage<TicketSummary>> PageAsync(TicketFilter filter, TicketSort sort, int number, int size, CancellationToken cancellationToken = default)
    {
        Pagination.CheckLimit(size);
        if (filter.MatchesNothing)
        {
            return NumberedPage<TicketSummary>.Empty(size);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = Filtered(db, filter);
        var total = await query.CountAsync(cancellationToken);
        var page = Pagination.ClampPage(number, size, total);
        var skip = (page - 1) * size;
        List<TicketSummary> items;
        if (sort == TicketSort.EventDate)
        {
            // Dated listings, soonest first, then the undated ones: two index-ordered reads, since
            // "nulls last" in one ORDER BY is an expression no index serves.
            var dated = query.Where(t => t.EventDate != null);
            var datedCount = await dated.CountAsync(cancellationToken);
            items = skip < datedCount
                ? await Summaries(dated.OrderBy(t => t.EventDate).ThenByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id), skip, size, cancellationToken)
                : [];
            if (items.Count < size)
            {
                var undated = query.Where(t => t.EventDate == null).OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id);
                items.AddRange(await Summaries(undated, Math.Max(0, skip - datedCount), size - items.Count, cancellationToken));
            }
        }
        else
        {
            items = await Summaries(Sorted(query, sort), skip, size, cancellationToken);
        }

        return new NumberedPage<TicketSummary>(items, page, size, total);
    }

    /// <summary>How many of the seller's listings are available, reserved and sold.</summary>
    public async Task<ListingCounts> CountAsync(Guid sellerId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var counts = await db.Tickets.AsNoTracking()
            .Where(t => t.SellerId == sellerId && !t.IsWithdrawn)
            .GroupBy(t => t.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
        return new ListingCounts(
            counts.GetValueOrDefault(TicketStatus.Available), counts.GetValueOrDefault(TicketStatus.Reserved), counts.GetValueOrDefault(TicketStatus.Sold));
    }

    private static IQueryable<Ticket> Filtered(TicketingDbContext db, TicketFilter filter)
    {
        // Compared with a parameter, not negated: SQLite then seeks the lists' indexes on it
        // ("IsWithdrawn = ?") instead of scanning them, or the whole table once a cursor is added.
        var withdrawn = false;
        var query = db.Tickets.AsNoTracking().Where(t => t.IsWithdrawn == withdrawn);
        if (filter.Status is { } status)
        {
            query = query.Where(t => t.Status == status);
        }

        if (filter.SellerId is { } seller)
        {
            query = query.Where(t => t.SellerId == seller);
        }

        if (filter.Term is { } term)
        {
            // LIKE ignores case on both providers, for every letter (SQLite: SqliteUnicodeLike; SQL Server: its collation).
            // The term is escaped so that '%', '_' and '[' mean themselves.
            var pattern = "%" + EscapeLike(term) + "%";
            query = query.Where(t => EF.Functions.Like(t.Title, pattern, LikeEscape)
                || (t.Venue != null && EF.Functions.Like(t.Venue, pattern, LikeEscape)));
        }

        return query;
    }

    /// <summary>
    /// Every order ends on creation time and id, so that pages never overlap or skip a row, and each
    /// matches an index read forwards or backwards: by price, ties come newest first from low to
    /// high and oldest first from high to low.
    /// </summary>
    private static IOrderedQueryable<Ticket> Sorted(IQueryable<Ticket> query, TicketSort sort) => sort switch
    {
        TicketSort.PriceAscending => query.OrderBy(t => t.Price).ThenByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id),
        TicketSort.PriceDescending => query.OrderByDescending(t => t.Price).ThenBy(t => t.CreatedAt).ThenBy(t => t.Id),
        _ => query.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id),
    };

    private static async Task<List<TicketSummary>> Summaries(IOrderedQueryable<Ticket> sorted, int skip, int take, CancellationToken cancellationToken)
    {
        var rows = await sorted.Skip(skip).Take(take)
            .Select(t => new { t.Id, t.Title, t.Price, t.SellerId, t.Version, t.Status, t.ReservedUntil, t.EventDate, t.Venue })
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(t => new TicketSummary(
            t.Id, t.Title, t.Price, t.SellerId, t.Version, TicketView.StatusName(t.Status),
            t.Status == TicketStatus.Reserved ? t.ReservedUntil : null, t.EventDate, t.Venue));
    }

    private static string EscapeLike(string term) =>
        term.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal)
            .Replace("[", "\\[", StringComparison.Ordinal);

    private static async Task<Ticket> FindForChangeAsync(TicketingDbContext db, Actor actor, Guid ticketId, CancellationToken cancellationToken)
    {
        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == ticketId && !t.IsWithdrawn, cancellationToken)
            ?? throw new NotFoundException("Ticket not found");
        if (ticket.SellerId != actor.UserId && !actor.IsAdmin)
        {
            throw new AccessDeniedException();
        }

        return ticket;
    }

    /// <summary>A lost race on the ticket row becomes the reason it was lost, never a raw exception.</summary>
    private async Task SaveOrExplainAsync(TicketingDbContext db, Guid ticketId, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            await using var fresh = await contexts.CreateDbContextAsync(cancellationToken);
            var current = await fresh.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticketId, cancellationToken);
            if (current is { IsLocked: true })
            {
                throw new BusinessRuleViolationException(new TicketMustNotBeLockedRule(current.Status));
            }

            throw new ConcurrencyConflictException("The ticket was changed by someone else; reload it and try again");
        }
    }
}
