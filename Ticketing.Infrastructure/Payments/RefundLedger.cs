namespace Ticketing.Infrastructure.Payments;

/// <summary>A charge whose money went back, is owed back, or is disputed, as the admin sees it.</summary>
/// <param name="State">refund owed, refunded, partly refunded or disputed.</param>
/// <param name="Reason">Why the money went back (or the bank's reason for a dispute).</param>
public sealed record AdminRefund(
    Guid PaymentId,
    Guid OrderId,
    string TicketTitle,
    string? BuyerEmail,
    long AmountMinor,
    long RefundedMinor,
    string Currency,
    string State,
    string? Reason,
    string ProviderReference,
    string? RefundReference,
    string? DisputeReference,
    DateTimeOffset RecordedAt);

public sealed record RefundPage(int Total, IReadOnlyList<AdminRefund> Items);

/// <summary>The admin's view of the money that did not stay: every refund, refund owed and dispute, paged in the database.</summary>
[Scoped]
public sealed class RefundLedger(IDbContextFactory<TicketingDbContext> contexts)
{
    public const int MaxPageSize = 100;

    /// <summary>One page, newest first.</summary>
    public async Task<RefundPage> ListAsync(int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        take = Math.Clamp(take, 1, MaxPageSize);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var payments = db.Payments.AsNoTracking()
            .Where(p => p.Status != PaymentStatus.Succeeded || p.RefundedMinor > 0 || p.DisputeReference != null);
        var total = await payments.CountAsync(cancellationToken);
        var rows = await (
                from p in payments
                join o in db.Orders.AsNoTracking() on p.OrderId equals o.Id into orders
                from o in orders.DefaultIfEmpty()
                join u in db.Users.AsNoTracking() on o.BuyerId equals u.Id into buyers
                from u in buyers.DefaultIfEmpty()
                orderby p.CreatedAt descending, p.Id
                select new { Payment = p, Title = o == null ? null : o.TicketTitle, Email = u == null ? null : u.Email })
            .Skip(skip)
            .Take(take)
            .ToListAsync(cancellationToken);
        return new RefundPage(total, rows.ConvertAll(r => ToAdminRefund(r.Payment, r.Title, r.Email)));
    }

    private static AdminRefund ToAdminRefund(Payment p, string? title, string? email) => new(
        p.Id,
        p.OrderId,
        title ?? "(unknown order)",
        email,
        p.AmountMinor,
        p.RefundedMinor,
        p.Currency,
        StateOf(p),
        p.Status == PaymentStatus.Succeeded && p.DisputeReference is not null ? p.DisputeReason : Describe(p.RefundReason),
        p.ProviderReference,
        p.RefundReference,
        p.DisputeReference,
        p.RefundedAt ?? p.DisputedAt ?? p.CreatedAt);

    private static string StateOf(Payment p) => p switch
    {
        { Status: PaymentStatus.Refunding } => "refund owed",
        { Status: PaymentStatus.Refunded } => "refunded",
        { DisputeReference: not null } => "disputed",
        _ => "partly refunded",
    };

    private static string? Describe(RefundReason? reason) => reason switch
    {
        RefundReason.OrderCancelled => "order cancelled before the money arrived",
        RefundReason.TicketGone => "order expired and its ticket was sold again",
        RefundReason.AlreadyPaid => "order already paid by another charge",
        RefundReason.AmountMismatch => "amount or currency did not match the order",
        RefundReason.Provider => "refunded at the payment provider",
        RefundReason.Admin => "order refunded by an admin",
        _ => null,
    };
}
