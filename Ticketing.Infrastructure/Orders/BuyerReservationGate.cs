namespace Ticketing.Infrastructure.Orders;

/// <summary>
/// One row per buyer, rewritten by every reservation of theirs under an optimistic-concurrency
/// stamp. Reservations of different tickets by one buyer share no other row, so without it two of
/// them could both count four live orders and both commit a fifth and sixth; with it, one of them
/// loses the stamp and counts again.
/// </summary>
public sealed class BuyerReservationGate
{
    public Guid BuyerId { get; set; }

    public Guid Stamp { get; set; }
}
