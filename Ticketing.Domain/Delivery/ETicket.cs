namespace Ticketing.Domain.Delivery;

/// <summary>
/// The platform's own ticket for a paid order: a signed code (<see cref="ETicketCode"/>) that a
/// scanner admits once. Issued in the transaction that completes the order. Admission is decided by
/// one conditional update of this row (admitted only if not yet admitted and the order still paid),
/// so two scanners racing on one code cannot both admit it.
/// </summary>
public sealed class ETicket
{
    private ETicket()
    {
        Serial = string.Empty;
    }

    public Guid OrderId { get; private init; }

    public Guid TicketId { get; private init; }

    public Guid BuyerId { get; private set; }

    /// <summary>The random half of the code, lower-case hex; unique.</summary>
    public string Serial { get; private init; }

    public DateTimeOffset IssuedAt { get; private init; }

    /// <summary>When the listing had no file at the sale: the time by which its seller must attach it.</summary>
    public DateTimeOffset? SellerSendsBy { get; private init; }

    public DateTimeOffset? AdmittedAt { get; private set; }

    public Guid? AdmittedBy { get; private set; }

    public static ETicket Issue(Guid orderId, Guid ticketId, Guid buyerId, DateTimeOffset now, DateTimeOffset? sellerSendsBy) => new()
    {
        OrderId = orderId,
        TicketId = ticketId,
        BuyerId = buyerId,
        Serial = ETicketCode.NewSerial(),
        IssuedAt = now,
        SellerSendsBy = sellerSendsBy,
    };

    /// <summary>
    /// The seller of a listing without a file sends it within <paramref name="window"/> of the sale,
    /// and before the event starts when that comes sooner (an event already under way leaves the
    /// plain window).
    /// </summary>
    public static DateTimeOffset SellerDeadline(DateTimeOffset soldAt, DateTimeOffset? eventDate, TimeSpan window)
    {
        var byWindow = soldAt + window;
        return eventDate is { } start && start > soldAt && start < byWindow ? start : byWindow;
    }
}
