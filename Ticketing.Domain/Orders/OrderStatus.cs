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

public static class OrderStatusNames
{
    /// <summary>The wire names of the original services.</summary>
    public static string ToWire(this OrderStatus status) => status switch
    {
        OrderStatus.Created => "created",
        OrderStatus.AwaitingPayment => "awaiting:payment",
        OrderStatus.Complete => "complete",
        OrderStatus.Cancelled => "cancelled",
        OrderStatus.Refunded => "refunded",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
