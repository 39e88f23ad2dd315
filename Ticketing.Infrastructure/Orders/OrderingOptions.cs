namespace Ticketing.Infrastructure.Orders;

public sealed class OrderingOptions
{
    public const string Section = "Ordering";

    public int ReservationMinutes { get; set; } = 15;

    /// <summary>When set, overrides <see cref="ReservationMinutes"/> (short windows for tests).</summary>
    public int? ReservationSeconds { get; set; }

    /// <summary>Live reservations one buyer may hold at once.</summary>
    public int MaxLiveOrdersPerBuyer { get; set; } = 5;

    public TimeSpan ReservationWindow => ReservationSeconds is > 0 and var s
        ? TimeSpan.FromSeconds(s)
        : TimeSpan.FromMinutes(ReservationMinutes > 0 ? ReservationMinutes : 15);
}
