using Ticketing.Domain.Common;
using Ticketing.Domain.Orders.Rules;

namespace Ticketing.Domain.Orders;

/// <summary>
/// A buyer's claim on one ticket: <c>created → awaiting:payment → complete</c>, or
/// <c>cancelled</c> from either live state. <c>complete</c> and <c>cancelled</c> are final, with one
/// exception: money that arrives after the order expired completes it if the ticket is still free.
/// </summary>
public sealed class Order : AggregateRoot
{
    private Order()
    {
        TicketTitle = string.Empty;
    }

    public Guid BuyerId { get; private set; }

    public Guid TicketId { get; private set; }

    /// <summary>The listing's title when the order was placed.</summary>
    public string TicketTitle { get; private set; }

    /// <summary>The price the buyer reserved at; a locked ticket's price cannot change.</summary>
    public decimal Price { get; private set; }

    public OrderStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public CancellationReason? CancellationReason { get; private set; }

    public string? PaymentReference { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public bool IsLive => Status is OrderStatus.Created or OrderStatus.AwaitingPayment;

    public static Order Place(Guid id, Guid buyerId, Guid ticketId, string ticketTitle, decimal price, DateTimeOffset now, TimeSpan reservationWindow)
    {
        if (reservationWindow <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(reservationWindow), "The reservation window must be positive.");
        }

        var order = new Order
        {
            Id = id,
            BuyerId = buyerId,
            TicketId = ticketId,
            TicketTitle = ticketTitle,
            Price = price,
            Status = OrderStatus.Created,
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = now + reservationWindow,
        };
        order.Created(new OrderCreated(id, 0, now, buyerId, ticketId, price, order.ExpiresAt));
        return order;
    }

    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;

    /// <summary>Checks that the buyer may pay now; throws the reason when not.</summary>
    public void EnsurePayable(DateTimeOffset now)
    {
        CheckRule(new OrderMustNotBeCancelledRule(Status));
        CheckRule(new OrderMustNotBeCompleteRule(Status));
        CheckRule(new OrderMustNotBeExpiredRule(ExpiresAt, now));
    }

    /// <summary>A payment was started with the provider (e.g. a Stripe PaymentIntent needing action).</summary>
    public void StartPayment(string paymentReference, DateTimeOffset now)
    {
        EnsurePayable(now);
        if (Status == OrderStatus.AwaitingPayment && PaymentReference == paymentReference)
        {
            return;
        }

        Status = OrderStatus.AwaitingPayment;
        PaymentReference = paymentReference;
        UpdatedAt = now;
        Change(v => new OrderAwaitingPayment(Id, v, now, BuyerId, paymentReference));
    }

    /// <summary>Completes a live order with a payment. Payment confirmed is not subject to the clock.</summary>
    public bool Complete(Guid paymentId, DateTimeOffset now)
    {
        if (Status == OrderStatus.Complete)
        {
            return false;
        }

        CheckRule(new OrderMustNotBeCancelledRule(Status));
        MarkComplete(paymentId, now);
        return true;
    }

    /// <summary>A payment arrived after the order was cancelled, and the ticket is still free.</summary>
    public void CompleteLate(Guid paymentId, DateTimeOffset now)
    {
        CheckRule(new LatePaymentNeedsCancelledOrderRule(Status));
        CancellationReason = null;
        MarkComplete(paymentId, now);
    }

    /// <summary>Cancels a live order. Returns false when it was already cancelled.</summary>
    public bool Cancel(CancellationReason reason, DateTimeOffset now)
    {
        if (Status == OrderStatus.Cancelled)
        {
            return false;
        }

        CheckRule(new OrderMustNotBeCompleteRule(Status));
        Status = OrderStatus.Cancelled;
        CancellationReason = reason;
        UpdatedAt = now;
        Change(v => new OrderCancelled(Id, v, now, BuyerId, TicketId, reason));
        return true;
    }

    private void MarkComplete(Guid paymentId, DateTimeOffset now)
    {
        Status = OrderStatus.Complete;
        UpdatedAt = now;
        Change(v => new OrderCompleted(Id, v, now, BuyerId, TicketId, paymentId));
    }
}
