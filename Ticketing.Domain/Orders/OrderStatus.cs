using Ticketing.Domain.Common;

namespace Ticketing.Domain.Orders;

public enum OrderStatus
{
    Created,
    AwaitingPayment,
    Complete,
    Cancelled,

    /// <summary>The sale was undone and the money goes back to the buyer (final).</summary>
    Refunded,
}

public enum CancellationReason
{
    User,
    Expired,
    Admin,
}

/// <summary>What the order's payment attempt is doing while the order is <see cref="OrderStatus.AwaitingPayment"/>.</summary>
public enum PaymentAttemptState
{
    /// <summary>No attempt holds the order.</summary>
    None,

    /// <summary>A request holds the order and is talking to the provider: nothing else may pay or cancel it.</summary>
    Charging,

    /// <summary>The provider confirms later (e.g. 3-D Secure); the order may still be cancelled, which cancels the provider's payment.</summary>
    AwaitingConfirmation,
}

/// <summary>The wire names of the order statuses (those of the original services): what the API, the live feed and the pages compare against.</summary>
public static class OrderStatusNames
{
    public const string Created = "created";
    public const string AwaitingPayment = "awaiting:payment";
    public const string Complete = "complete";
    public const string Cancelled = "cancelled";
    public const string Refunded = "refunded";

    private static readonly WireNames<OrderStatus> Names = new(typeof(OrderStatusNames));

    public static string ToWire(this OrderStatus status) => Names.Of(status);

    /// <summary>Still holding its ticket and payable: created or awaiting payment.</summary>
    public static bool IsLive(string wireStatus) => wireStatus is Created or AwaitingPayment;
}

/// <summary>The wire names of the cancellation reasons: what the admin's views and the buyer's pages read.</summary>
public static class CancellationReasonNames
{
    public const string User = "user";
    public const string Expired = "expired";
    public const string Admin = "admin";

    private static readonly WireNames<CancellationReason> Names = new(typeof(CancellationReasonNames));

    public static string ToWire(this CancellationReason reason) => Names.Of(reason);
}
