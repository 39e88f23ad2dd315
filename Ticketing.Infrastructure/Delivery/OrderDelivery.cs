using Ticketing.Domain.Delivery;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Infrastructure.Delivery;

/// <summary>
/// What a paid order delivers, as its buyer (or an admin) sees it: the e-ticket's code, the seller's
/// file if there is one, or the time by which the seller must attach it.
/// </summary>
public sealed record OrderDeliveryView(
    Guid OrderId,
    string Title,
    string Code,
    DateTimeOffset IssuedAt,
    TicketFileView? File,
    DateTimeOffset? SellerSendsBy,
    DateTimeOffset? AdmittedAt)
{
    /// <summary>No file yet, and the seller's time to attach it has run out.</summary>
    public bool SellerIsLate(DateTimeOffset now) => File is null && SellerSendsBy is { } by && now > by;
}

/// <summary>The buyer's side of delivery: the e-ticket and the seller's file, once the order is paid.</summary>
[Scoped]
public sealed class OrderDelivery(
    IDbContextFactory<TicketingDbContext> contexts,
    ITicketFileStore store,
    ETicketKeys keys)
{
    public const string NotPaidMessage = "The ticket is delivered once the order is paid";

    /// <summary>The order's delivery; null while the order is not paid (or no longer is).</summary>
    public async Task<OrderDeliveryView?> FindAsync(Actor actor, Guid orderId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var order = await FindOrderAsync(db, actor, orderId, cancellationToken);
        if (order.Status != OrderStatus.Complete)
        {
            return null;
        }

        var eTicket = await db.Set<ETicket>().AsNoTracking().FirstOrDefaultAsync(e => e.OrderId == orderId, cancellationToken);
        if (eTicket is null)
        {
            return null;
        }

        var file = await db.Set<TicketFile>().AsNoTracking().FirstOrDefaultAsync(f => f.TicketId == order.TicketId, cancellationToken);
        var key = await keys.GetAsync(cancellationToken);
        return new OrderDeliveryView(
            order.Id,
            order.TicketTitle,
            ETicketCode.Create(eTicket.Serial, key),
            eTicket.IssuedAt,
            file is null ? null : TicketFileView.From(file),
            eTicket.SellerSendsBy,
            eTicket.AdmittedAt);
    }

    /// <summary>The seller's file for a paid order; null when the listing has none (the e-ticket stands in).</summary>
    public async Task<TicketFileContent?> ReadFileAsync(Actor actor, Guid orderId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var order = await FindOrderAsync(db, actor, orderId, cancellationToken);
        if (order.Status != OrderStatus.Complete)
        {
            throw new NotFoundException(NotPaidMessage);
        }

        var file = await db.Set<TicketFile>().AsNoTracking().FirstOrDefaultAsync(f => f.TicketId == order.TicketId, cancellationToken);
        return file is null ? null : await TicketFiles.ContentOfAsync(db, store, file, cancellationToken);
    }

    /// <summary>The e-ticket drawn as an image (<see cref="ETicketImage"/>), for a paid order.</summary>
    public async Task<TicketFileContent> RenderETicketAsync(Actor actor, Guid orderId, CancellationToken cancellationToken = default)
    {
        var delivery = await FindAsync(actor, orderId, cancellationToken) ?? throw new NotFoundException(NotPaidMessage);
        return new TicketFileContent($"e-ticket-{orderId}.svg", ETicketImage.ContentType, ETicketImage.Svg(delivery.Code, delivery.OrderId, delivery.Title));
    }

    /// <summary>The buyer's own order, or any as an admin: 404 unknown, 401 someone else's (as <c>GET /api/orders/{id}</c>).</summary>
    private static async Task<Order> FindOrderAsync(TicketingDbContext db, Actor actor, Guid orderId, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken)
            ?? throw new NotFoundException("Order not found");
        return order.BuyerId == actor.UserId || actor.IsAdmin ? order : throw new AccessDeniedException();
    }
}

public enum CheckInOutcome
{
    Admitted,

    /// <summary>The code was admitted before, at <see cref="CheckInResult.AdmittedAt"/>.</summary>
    AlreadyAdmitted,

    /// <summary>The order behind the code was refunded or cancelled: the ticket is void.</summary>
    Refused,

    /// <summary>One of our codes, but no e-ticket carries it.</summary>
    Unknown,

    /// <summary>Not a code at all, or one whose signature is not ours (forged or altered).</summary>
    Invalid,
}

public sealed record CheckInResult(CheckInOutcome Outcome, string Message, Guid? OrderId = null, string? Title = null, DateTimeOffset? AdmittedAt = null);

/// <summary>The door: admits each e-ticket once.</summary>
[Scoped]
public sealed partial class CheckIns(
    IDbContextFactory<TicketingDbContext> contexts,
    ETicketKeys keys,
    TimeProvider clock,
    ILogger<CheckIns> logger)
{
    /// <summary>
    /// Admits the e-ticket with <paramref name="code"/>. One conditional update decides: it sets the
    /// admission only on a row not yet admitted whose order is still paid, so of any number of scans
    /// at once exactly one admits, and a refund that committed first voids the code.
    /// </summary>
    public async Task<CheckInResult> CheckInAsync(Guid scannerId, string? code, CancellationToken cancellationToken = default)
    {
        var reading = ETicketCode.Read(code, await keys.GetAsync(cancellationToken));
        switch (reading.Status)
        {
            case ETicketCodeStatus.Malformed:
                return new CheckInResult(CheckInOutcome.Invalid, "This is not a ticket code: a code is 32 letters and digits, as printed under the QR code");
            case ETicketCodeStatus.Forged:
                LogForged(scannerId);
                return new CheckInResult(CheckInOutcome.Invalid, "This code was not issued by Ticketing: it is forged or mistyped");
        }

        var serial = reading.Serial!;
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var admitted = await db.Set<ETicket>()
            .Where(e => e.Serial == serial && e.AdmittedAt == null && db.Orders.Any(o => o.Id == e.OrderId && o.Status == OrderStatus.Complete))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.AdmittedAt, now).SetProperty(e => e.AdmittedBy, scannerId), cancellationToken);

        var found = await db.Set<ETicket>().AsNoTracking()
            .Where(e => e.Serial == serial)
            .Join(db.Orders.AsNoTracking(), e => e.OrderId, o => o.Id, (e, o) => new { e.OrderId, e.AdmittedAt, o.TicketTitle, o.Status, o.CancellationReason })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return new CheckInResult(CheckInOutcome.Unknown, "No ticket has this code");
        }

        if (admitted == 1)
        {
            LogAdmitted(found.OrderId, scannerId);
            return new CheckInResult(CheckInOutcome.Admitted, "Admitted", found.OrderId, found.TicketTitle, now);
        }

        if (found.Status != OrderStatus.Complete)
        {
            LogRefused(found.OrderId, found.CancellationReason);
            var why = found.Status == OrderStatus.Refunded ? "its order was refunded" : "its order was cancelled";
            return new CheckInResult(CheckInOutcome.Refused, $"Refused: this ticket is no longer valid, {why}", found.OrderId, found.TicketTitle);
        }

        var at = found.AdmittedAt!.Value;
        return new CheckInResult(
            CheckInOutcome.AlreadyAdmitted,
            $"Already admitted at {at.UtcDateTime:HH:mm} UTC",
            found.OrderId,
            found.TicketTitle,
            at);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} admitted by scanner {ScannerId}")]
    private partial void LogAdmitted(Guid orderId, Guid scannerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} refused at the door: the order is no longer paid ({Reason})")]
    private partial void LogRefused(Guid orderId, CancellationReason? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scanner {ScannerId} read a code with a signature that is not ours")]
    private partial void LogForged(Guid scannerId);
}
