using Microsoft.AspNetCore.Identity;
using Ticketing.Infrastructure.Admin;

namespace Ticketing.Infrastructure.Audit;

/// <summary>
/// One step as the admin reads it, with the e-mail of the user who acted. <paramref name="Text"/> is what
/// the English <paramref name="Detail"/> was written from, for the reader's language; null on older steps.
/// </summary>
public sealed record AuditStepView(
    long Id, DateTimeOffset OccurredAt, AuditStep Step, AuditActor Actor, string? ActorEmail, Guid? OrderId, Guid? TicketId, string Detail, AuditText? Text = null);

/// <summary>What an order's trail is about, and why it was cancelled.</summary>
/// <param name="CancellationReason">user, expired or admin; null unless cancelled.</param>
public sealed record AuditOrderSubject(Guid Id, Guid TicketId, string TicketTitle, decimal Price, string Status, string? CancellationReason, string? BuyerEmail, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>What a listing's trail is about; withdrawn listings keep their trail.</summary>
public sealed record AuditListingSubject(Guid Id, string Title, decimal Price, string Status, bool IsWithdrawn, string? SellerEmail, DateTimeOffset CreatedAt);

/// <summary>
/// The admin's reads of the audit trail: one order's or one listing's steps in the order they
/// happened, and a search across all steps by order id, ticket id or user e-mail, newest first.
/// Every read is a page.
/// </summary>
[Scoped]
public sealed class AuditTrailReader(IDbContextFactory<TicketingDbContext> contexts, ILookupNormalizer normalizer)
{
    /// <summary>More users than this matching a partial e-mail are not searched: the admin should type more of it.</summary>
    public const int MaxUsersPerSearch = 50;

    public async Task<AdminPage<AuditStepView>> ForOrderAsync(Guid orderId, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await PageAsync(db, Steps(db).Where(a => a.OrderId == orderId), page, pageSize, newestFirst: false, cancellationToken);
    }

    public async Task<AdminPage<AuditStepView>> ForListingAsync(Guid ticketId, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await PageAsync(db, Steps(db).Where(a => a.TicketId == ticketId), page, pageSize, newestFirst: false, cancellationToken);
    }

    /// <summary>
    /// Steps matching <paramref name="search"/>, newest first: a whole order or ticket id finds that
    /// order's or listing's steps; anything else is part of a user's e-mail and finds the steps where
    /// that user bought, sold or acted. No search: every step.
    /// </summary>
    public async Task<AdminPage<AuditStepView>> SearchAsync(string? search, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        search = string.IsNullOrWhiteSpace(search) ? null : search.Trim();
        if (search is { Length: > AdminQuery.MaxSearchLength })
        {
            return new AdminPage<AuditStepView>([], 0);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var steps = Steps(db);
        if (search is null)
        {
            return await PageAsync(db, steps, page, pageSize, newestFirst: true, cancellationToken);
        }

        if (Guid.TryParse(search, out var id))
        {
            return await PageAsync(db, steps.Where(a => a.OrderId == id || a.TicketId == id), page, pageSize, newestFirst: true, cancellationToken);
        }

        var users = await UsersMatchingAsync(db, search, cancellationToken);
        if (users.Count == 0)
        {
            return new AdminPage<AuditStepView>([], 0);
        }

        return await PageAsync(
            db,
            steps.Where(a => (a.BuyerId != null && users.Contains(a.BuyerId.Value))
                || (a.SellerId != null && users.Contains(a.SellerId.Value))
                || (a.ActorUserId != null && users.Contains(a.ActorUserId.Value))),
            page,
            pageSize,
            newestFirst: true,
            cancellationToken);
    }

    public async Task<AuditOrderSubject?> FindOrderAsync(Guid orderId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Orders.AsNoTracking().Where(o => o.Id == orderId).WithEmailOf(db, o => o.BuyerId)
            .Select(o => new { o.Row.Id, o.Row.TicketId, o.Row.TicketTitle, o.Row.Price, o.Row.Status, o.Row.CancellationReason, o.Email, o.Row.CreatedAt, o.Row.ExpiresAt })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new AuditOrderSubject(
            row.Id, row.TicketId, row.TicketTitle, row.Price, row.Status.ToWire(), row.CancellationReason?.ToWire(), row.Email, row.CreatedAt, row.ExpiresAt);
    }

    public async Task<AuditListingSubject?> FindListingAsync(Guid ticketId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Tickets.AsNoTracking().Where(t => t.Id == ticketId).WithEmailOf(db, t => t.SellerId)
            .Select(t => new { t.Row.Id, t.Row.Title, t.Row.Price, t.Row.Status, t.Row.IsWithdrawn, t.Email, t.Row.CreatedAt })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new AuditListingSubject(row.Id, row.Title, row.Price, row.Status.ToWire(), row.IsWithdrawn, row.Email, row.CreatedAt);
    }

    private static IQueryable<AuditEntry> Steps(TicketingDbContext db) => db.Set<AuditEntry>().AsNoTracking();

    /// <summary>Ids of users whose e-mail contains <paramref name="search"/> (Identity's normalized form, so without case).</summary>
    private async Task<List<Guid>> UsersMatchingAsync(TicketingDbContext db, string search, CancellationToken cancellationToken)
    {
        var normalized = normalizer.NormalizeEmail(search);
        var exact = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == normalized).Select(u => u.Id).ToListAsync(cancellationToken);
        if (exact.Count > 0)
        {
            return exact;
        }

        var like = "%" + normalized.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal).Replace("[", "\\[", StringComparison.Ordinal) + "%";
        return await db.Users.AsNoTracking()
            .Where(u => EF.Functions.Like(u.NormalizedEmail, like, "\\"))
            .OrderBy(u => u.NormalizedEmail)
            .Select(u => u.Id)
            .Take(MaxUsersPerSearch)
            .ToListAsync(cancellationToken);
    }

    private static async Task<AdminPage<AuditStepView>> PageAsync(
        TicketingDbContext db, IQueryable<AuditEntry> steps, int page, int pageSize, bool newestFirst, CancellationToken cancellationToken)
    {
        var size = Math.Clamp(pageSize, 1, AdminQuery.MaxPageSize);
        var offset = (long)Math.Max(page, 0) * size;
        var total = await steps.CountAsync(cancellationToken);
        if (offset >= total)
        {
            return new AdminPage<AuditStepView>([], total);
        }

        var ordered = newestFirst ? steps.OrderByDescending(a => a.Id) : steps.OrderBy(a => a.Id);
        var rows = await (from a in ordered.Skip((int)offset).Take(size)
                          join u in db.Users.AsNoTracking() on a.ActorUserId equals u.Id into actors
                          from actor in actors.DefaultIfEmpty()
                          select new { a.Id, a.OccurredAt, a.Step, a.Actor, Email = actor == null ? null : actor.Email, a.OrderId, a.TicketId, a.Detail, a.DetailTemplate, a.DetailArgs })
            .ToListAsync(cancellationToken);
        var views = rows.ConvertAll(r => new AuditStepView(
            r.Id, r.OccurredAt, r.Step, r.Actor, r.Email, r.OrderId, r.TicketId, r.Detail, AuditText.Read(r.DetailTemplate, r.DetailArgs)));

        // The join may lose the page's order on some providers.
        return new AdminPage<AuditStepView>(newestFirst ? [.. views.OrderByDescending(r => r.Id)] : [.. views.OrderBy(r => r.Id)], total);
    }
}
