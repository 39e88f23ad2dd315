using Ticketing.Domain.Common;

namespace Ticketing.Domain.Orders;

/// <summary>A change of one order. <see cref="BuyerId"/> is the order's buyer as of that change.</summary>
public interface IOrderEvent : IDomainEvent
{
    Guid BuyerId { get; }
}

/// <summary>What the order's status is once an event has been applied.</summary>
public static class OrderEventStatus
{
    /// <summary>The status the order has as of <paramref name="e"/>; null for a change that leaves it as it was.</summary>
    public static OrderStatus? After(IOrderEvent e) => e switch
    {
        OrderCreated or OrderPaymentReleased => OrderStatus.Created,
        OrderAwaitingPayment => OrderStatus.AwaitingPayment,
        OrderCompleted => OrderStatus.Complete,
        OrderCancelled => OrderStatus.Cancelled,
        OrderRefunded => OrderStatus.Refunded,
        _ => null,
    };
}

public sealed record OrderCreated(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid BuyerId, Guid TicketId, decimal Price, DateTimeOffset ExpiresAt) : IOrderEvent;

/// <summary>
/// The order entered (or moved within) <c>awaiting:payment</c>: an attempt claimed it
/// (<paramref name="PaymentReference"/> not known yet), or the provider will confirm the attempt later.
/// </summary>
public sealed record OrderAwaitingPayment(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid BuyerId, Guid AttemptId, string? PaymentReference) : IOrderEvent;

/// <summary>An attempt ended without taking money (declined, unknown card, provider unreachable): the order is payable again.</summary>
public sealed record OrderPaymentReleased(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid BuyerId, Guid AttemptId) : IOrderEvent;

public sealed record OrderCompleted(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid BuyerId, Guid TicketId, Guid PaymentId) : IOrderEvent;

/// <param name="PaymentReference">The provider's payment the order had opened, which must not take money any more; null when none.</param>
public sealed record OrderCancelled(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid BuyerId, Guid TicketId, CancellationReason Reason, string? PaymentReference = null) : IOrderEvent;

/// <summary>
/// A completed order's sale was undone and its money goes back: an admin refunded it, or the
/// provider reports the whole payment refunded.
/// </summary>
/// <param name="AdminId">The admin who refunded it; null when the provider did.</param>
/// <param name="Reason">Why, in the admin's words (or the provider's).</param>
/// <param name="RelistTicket">True: the ticket goes back on sale; false: it is withdrawn.</param>
public sealed record OrderRefunded(
    Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid BuyerId, Guid TicketId, Guid? AdminId, string Reason, bool RelistTicket) : IOrderEvent;

/// <summary>The buyer deleted their account: the order is kept for the books as <see cref="Identity.DeletedAccount"/>'s.</summary>
public sealed record OrderBuyerAnonymised(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid BuyerId) : IOrderEvent;
