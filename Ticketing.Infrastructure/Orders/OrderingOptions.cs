namespace Ticketing.Infrastructure.Orders;

public sealed class OrderingOptions
{
    public const string Section = "Ordering";

    public int ReservationMinutes { get; set; } = 15;

    /// <summary>When set, overrides <see cref="ReservationMinutes"/> (short windows for tests).</summary>
    public int? ReservationSeconds { get; set; }

    public TimeSpan ReservationWindow => ReservationSeconds is > 0 and var s
        ? TimeSpan.FromSeconds(s)
        : TimeSpan.FromMinutes(ReservationMinutes > 0 ? ReservationMinutes : 15);
}
