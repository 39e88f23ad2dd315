using System.Runtime.CompilerServices;
using Ticketing.Infrastructure.Tickets;

namespace Ticketing.Infrastructure.Identity;

public sealed record AccountExport(
    Guid Id, string Email, bool EmailConfirmed, DateTimeOffset CreatedAt, bool TwoFactorEnabled, IReadOnlyList<string> Roles);

public sealed record ListingExport(
    Guid Id, string Title, decimal Price, string Status, bool Withdrawn, DateTimeOffset? EventDate, string? Venue, string? Description,
    Guid? OrderId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record OrderExport(
    Guid Id, Guid TicketId, string TicketTitle, decimal Price, string Status, string? CancellationReason,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset UpdatedAt);

/// <param name="Amount">In <paramref name="Currency"/>'s major unit, e.g. 12.50.</param>
public sealed record PaymentExport(
    Guid Id, Guid OrderId, decimal Amount, string Currency, string Status, string ProviderReference,
    decimal AmountRefunded, DateTimeOffset? RefundedAt, DateTimeOffset CreatedAt);

/// <summary>
/// Everything the app holds about one account, for "download my data": the account, the listings it
/// made (withdrawn ones too), its orders and the payments for them. Lists are streamed a row at a time,
/// so that a seller with thousands of listings costs no more memory than one with ten.
/// </summary>
[Scoped]
public sealed class PersonalData(IDbContextFactory<TicketingDbContext> contexts)
{
    public async Task<AccountExport?> AccountAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return null;
        }

        var roles = await (from ur in db.UserRoles.AsNoTracking()
                           join r in db.Roles.AsNoTracking() on ur.RoleId equals r.Id
                           where ur.UserId == userId
                           select r.Name!).ToListAsync(cancellationToken);
        return new AccountExport(user.Id, user.Email ?? string.Empty, user.EmailConfirmed, user.CreatedAt, user.TwoFactorEnabled, roles.Order(StringComparer.Ordinal).ToList());
    }

    public async IAsyncEnumerable<ListingExport> ListingsAsync(Guid userId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = db.Tickets.AsNoTracking()
            .Where(t => t.SellerId == userId)
            .OrderBy(t => t.CreatedAt).ThenBy(t => t.Id)
            .Select(t => new { t.Id, t.Title, t.Price, t.Status, t.IsWithdrawn, t.EventDate, t.Venue, t.Description, t.OrderId, t.CreatedAt, t.UpdatedAt })
            .AsAsyncEnumerable();
        await foreach (var t in rows.WithCancellation(cancellationToken))
        {
            yield return new ListingExport(
                t.Id, t.Title, t.Price, TicketView.StatusName(t.Status), t.IsWithdrawn, t.EventDate, t.Venue, t.Description, t.OrderId, t.CreatedAt, t.UpdatedAt);
        }
    }

    public async IAsyncEnumerable<OrderExport> OrdersAsync(Guid userId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = db.Orders.AsNoTracking()
            .Where(o => o.BuyerId == userId)
            .OrderBy(o => o.CreatedAt).ThenBy(o => o.Id)
            .Select(o => new { o.Id, o.TicketId, o.TicketTitle, o.Price, o.Status, o.CancellationReason, o.CreatedAt, o.ExpiresAt, o.UpdatedAt })
            .AsAsyncEnumerable();
        await foreach (var o in rows.WithCancellation(cancellationToken))
        {
            yield return new OrderExport(
                o.Id, o.TicketId, o.TicketTitle, o.Price, o.Status.ToWire(), o.CancellationReason?.ToWire(), o.CreatedAt, o.ExpiresAt, o.UpdatedAt);
        }
    }

    /// <summary>Every charge made for one of the account's orders, whatever became of it (refunds too).</summary>
    public async IAsyncEnumerable<PaymentExport> PaymentsAsync(Guid userId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = (from p in db.Payments.AsNoTracking()
                    join o in db.Orders.AsNoTracking() on p.OrderId equals o.Id
                    where o.BuyerId == userId
                    orderby p.CreatedAt, p.Id
                    select new { p.Id, p.OrderId, p.AmountMinor, p.Currency, p.Status, p.ProviderReference, p.RefundedMinor, p.RefundedAt, p.CreatedAt })
            .AsAsyncEnumerable();
        await foreach (var p in rows.WithCancellation(cancellationToken))
        {
            yield return new PaymentExport(
                p.Id, p.OrderId, p.AmountMinor / 100m, p.Currency, StatusName(p.Status), p.ProviderReference, p.RefundedMinor / 100m, p.RefundedAt, p.CreatedAt);
        }
    }

    private static string StatusName(PaymentStatus status) => status.ToString().ToLowerInvariant();
}
