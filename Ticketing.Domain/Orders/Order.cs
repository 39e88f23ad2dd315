using Ticketing.Domain.Common;
using Ticketing.Domain.Identity;
using Ticketing.Domain.Orders.Rules;

namespace Ticketing.Domain.Orders;

/// <summary>
/// A buyer's claim on one ticket: <c>created → awaiting:payment → complete</c>, or <c>cancelled</c>
/// from either live state. A payment first claims the order (<see cref="ClaimPayment"/>); the save
/// of that claim, guarded by the row's concurrency token, is where concurrent payments, and a
/// payment and a cancel, are decided (docs/decisions/0013). <c>complete</c> and <c>cancelled</c> are
/// final, with one exception driven by the provider's money: a payment that arrives after the order
/// <em>expired</em> completes it if the ticket is still free. A completed order can be
/// <c>refunded</c> (by an admin, or by the provider refunding the whole payment), which is final.
/// </summary>
public sealed class Order : TimestampedAggregateRoot
{
    private Order()
    {
        TicketTitle = string.Empty;
    }

    public Guid BuyerId { get; private set; }

    public Guid TicketId { get; private init; }

    /// <summary>The listing's title when the order was placed.</summary>
    public string TicketTitle { get; private init; }

    /// <summary>The price the buyer reserved at; a locked ticket's price cannot change.</summary>
    public decimal Price { get; private init; }

    public OrderStatus Status { get; private set; }

    public DateTimeOffset ExpiresAt { get; private init; }

    public CancellationReason? CancellationReason { get; private set; }

    /// <summary>The provider's payment opened for this order (a Stripe PaymentIntent), once known.</summary>
    public string? PaymentReference { get; private set; }

    public PaymentAttemptState PaymentAttempt { get; private set; }

    /// <summary>The attempt that holds the order (or held it last); its charge's idempotency key derives from it.</summary>
    public Guid? PaymentAttemptId { get; private set; }

    /// <summary>When the holding attempt claimed the order; null when none holds it.</summary>
    public DateTimeOffset? PaymentAttemptStartedAt { get; private set; }

    public bool IsLive => Status is OrderStatus.Created or OrderStatus.AwaitingPayment;

    /// <summary>A request is talking to the provider for this order right now (or died doing so).</summary>
    public bool IsCharging => Status == OrderStatus.AwaitingPayment && PaymentAttempt == PaymentAttemptState.Charging;

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
            ExpiresAt = now + reservationWindow,
        };
        order.Created(new OrderCreated(id, 0, now, buyerId, ticketId, price, order.ExpiresAt));
        return order;
    }

    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;

    /// <summary>Whether <paramref name="attemptId"/> holds the order and is charging.</summary>
    public bool IsHeldBy(Guid attemptId) => IsCharging && PaymentAttemptId == attemptId;

    /// <summary>
    /// Takes the order for one payment attempt: <c>created → awaiting:payment</c>. Only the attempt
    /// whose claim is saved may charge; every other one is refused here, before any money moves.
    /// </summary>
    public void ClaimPayment(Guid attemptId, DateTimeOffset now)
    {
        CheckRule(new OrderMustNotBeCancelledRule(Status));
        CheckRule(new OrderMustNotBeCompleteRule(Status));
        CheckRule(new OrderMustNotBeRefundedRule(Status));
        CheckRule(new PaymentMustNotBeInProgressRule(Status == OrderStatus.AwaitingPayment));
        CheckRule(new OrderMustNotBeExpiredRule(ExpiresAt, now));

        Status = OrderStatus.AwaitingPayment;
        PaymentAttempt = PaymentAttemptState.Charging;
        PaymentAttemptId = attemptId;
        PaymentAttemptStartedAt = now;
        Change(v => new OrderAwaitingPayment(Id, v, now, BuyerId, attemptId, PaymentReference));
    }

    /// <summary>
    /// The provider will confirm the attempt later (e.g. 3-D Secure): the charge is no longer in
    /// flight here. Returns false when the attempt no longer holds the order.
    /// </summary>
    public bool AwaitConfirmation(Guid attemptId, string paymentReference, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentReference);
        if (!IsHeldBy(attemptId))
        {
            return false;
        }

        PaymentAttempt = PaymentAttemptState.AwaitingConfirmation;
        PaymentReference = paymentReference;
        PaymentAttemptStartedAt = null;
        Change(v => new OrderAwaitingPayment(Id, v, now, BuyerId, attemptId, paymentReference));
        return true;
    }

    /// <summary>
    /// The attempt took no money (declined, unknown card, provider unreachable): the order is payable
    /// again, or expires now if its window closed while the attempt held it. Returns false when the
    /// attempt no longer holds the order.
    /// </summary>
    public bool ReleasePayment(Guid attemptId, string? paymentReference, DateTimeOffset now)
    {
        if (!IsHeldBy(attemptId))
        {
            return false;
        }

        PaymentReference = paymentReference ?? PaymentReference;
        Release(attemptId, now);
        return true;
    }

    /// <summary>
    /// The provider's later confirmation of the attempt ended without money: the bank declined, or
    /// the buyer failed (or gave up) the 3-D Secure challenge. The order is payable again, or expires
    /// now if its window closed meanwhile. Returns false when the attempt no longer awaits
    /// confirmation (already settled, or another attempt holds the order), so that a stale or
    /// repeated provider event changes nothing.
    /// </summary>
    public bool DeclineConfirmation(Guid attemptId, DateTimeOffset now)
    {
        if (!IsAwaitingConfirmationOf(attemptId))
        {
            return false;
        }

        Release(attemptId, now);
        return true;
    }

    /// <summary>Whether <paramref name="attemptId"/> holds the order and the provider confirms it later.</summary>
    public bool IsAwaitingConfirmationOf(Guid attemptId) =>
        Status == OrderStatus.AwaitingPayment && PaymentAttempt == PaymentAttemptState.AwaitingConfirmation && PaymentAttemptId == attemptId;

    /// <summary>Completes a live order with a payment. Payment confirmed is not subject to the clock.</summary>
    public bool Complete(Guid paymentId, DateTimeOffset now)
    {
        if (Status == OrderStatus.Complete)
        {
            return false;
        }

        CheckRule(new OrderMustNotBeCancelledRule(Status));
        CheckRule(new OrderMustNotBeRefundedRule(Status));
        MarkComplete(paymentId, now);
        return true;
    }

    /// <summary>A payment arrived after the order expired, and the ticket is still free.</summary>
    public void CompleteLate(Guid paymentId, DateTimeOffset now)
    {
        CheckRule(new LatePaymentNeedsExpiredOrderRule(Status, CancellationReason));
        CancellationReason = null;
        MarkComplete(paymentId, now);
    }

    /// <summary>
    /// Cancels a live order. Returns false when it was already cancelled. Refused while a charge is
    /// in flight (its outcome decides); a payment the provider confirms later is allowed to be
    /// cancelled, and <see cref="OrderCancelled.PaymentReference"/> tells Payments to cancel it too.
    /// </summary>
    public bool Cancel(CancellationReason reason, DateTimeOffset now)
    {
        if (Status == OrderStatus.Cancelled)
        {
            return false;
        }

        CheckRule(new OrderMustNotBeCompleteRule(Status));
        CheckRule(new OrderMustNotBeRefundedRule(Status));
        CheckRule(new PaymentMustNotBeInProgressRule(IsCharging));
        ClearAttempt();
        MarkCancelled(reason, now, PaymentReference);
        return true;
    }

    /// <summary>
    /// Undoes the sale of a completed order: <c>complete → refunded</c>, final. The money goes back
    /// (Payments owes it in the same save) and the ticket is relisted or withdrawn
    /// (<paramref name="relistTicket"/>). Refused for any order that is not complete, so that of
    /// concurrent refunds exactly one is saved.
    /// </summary>
    /// <param name="adminId">The admin refunding it; null when the provider refunded the payment.</param>
    public void Refund(Guid? adminId, string reason, bool relistTicket, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        CheckRule(new OrderMustNotBeRefundedRule(Status));
        CheckRule(new OrderMustBeCompleteToRefundRule(Status));
        Status = OrderStatus.Refunded;
        Change(v => new OrderRefunded(Id, v, now, BuyerId, TicketId, adminId, reason, relistTicket));
    }

    /// <summary>
    /// The buyer deleted their account: the order is kept for the books as <see cref="DeletedAccount"/>'s.
    /// Only an order that has ended: a live one is cancelled first. Returns false when already done.
    /// </summary>
    public bool AnonymiseBuyer(DateTimeOffset now)
    {
        CheckRule(new OrderMustHaveEndedRule(IsLive));
        if (BuyerId == DeletedAccount.Id)
        {
            return false;
        }

        BuyerId = DeletedAccount.Id;
        Change(v => new OrderBuyerAnonymised(Id, v, now, BuyerId));
        return true;
    }

    private void MarkComplete(Guid paymentId, DateTimeOffset now)
    {
        ClearAttempt();
        Status = OrderStatus.Complete;
        Change(v => new OrderCompleted(Id, v, now, BuyerId, TicketId, paymentId));
    }

    private void MarkCancelled(CancellationReason reason, DateTimeOffset now, string? paymentReference)
    {
        Status = OrderStatus.Cancelled;
        CancellationReason = reason;
        Change(v => new OrderCancelled(Id, v, now, BuyerId, TicketId, reason, paymentReference));
    }

    private void Release(Guid attemptId, DateTimeOffset now)
    {
        ClearAttempt();
        if (IsExpired(now))
        {
            // The window closed while the attempt held the order (the expiry skips a charge in flight): it is due now.
            MarkCancelled(Orders.CancellationReason.Expired, now, PaymentReference);
            return;
        }

        Status = OrderStatus.Created;
        Change(v => new OrderPaymentReleased(Id, v, now, BuyerId, attemptId));
    }

    private void ClearAttempt()
    {
        PaymentAttempt = PaymentAttemptState.None;
        PaymentAttemptStartedAt = null;
    }
}
