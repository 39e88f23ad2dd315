namespace Ticketing.Domain.Orders;

public enum OrderStatus
{
    Created,
    AwaitingPayment,
    Complete,
    Cancelled,
}

public enum CancellationReason
{
    User,
    Expired,
    Admin,
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
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
