using Ticketing.Domain.Common;

namespace Ticketing.Domain.Payments;

public enum PaymentStatus
{
    /// <summary>The money pays for its order, which is complete.</summary>
    Succeeded,

    /// <summary>The order could not take the money: it is owed back and the refund is not confirmed yet.</summary>
    Refunding,

    /// <summary>The money went back to the buyer.</summary>
    Refunded,
}

/// <summary>Why money went back.</summary>
public enum RefundReason
{
    /// <summary>The buyer or an admin cancelled the order before the money arrived.</summary>
    OrderCancelled,

    /// <summary>The order expired and its ticket went to another buyer before the money arrived.</summary>
    TicketGone,

    /// <summary>The order was already paid by another charge.</summary>
    AlreadyPaid,

    /// <summary>The provider reported an amount or currency other than the order's.</summary>
    AmountMismatch,

    /// <summary>Refunded at the provider (e.g. from the Stripe dashboard), not by this application.</summary>
    Provider,

    /// <summary>An admin refunded the completed order.</summary>
    Admin,
}

public sealed record PaymentCreated(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid OrderId, long AmountMinor, string Currency, string ProviderReference) : IDomainEvent;

/// <summary>Money arrived that its order cannot take; a refund is owed.</summary>
public sealed record PaymentRejected(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid OrderId, long AmountMinor, string Currency, string ProviderReference, RefundReason Reason) : IDomainEvent;

/// <summary>Money went back to the buyer (<paramref name="AmountMinor"/> of it, the whole payment unless the provider says less).</summary>
public sealed record PaymentRefunded(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid OrderId, string RefundReference, long AmountMinor, RefundReason Reason) : IDomainEvent;

/// <summary>The provider refunded the whole of a payment that had completed its order: the sale is undone.</summary>
public sealed record PaymentReversed(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid OrderId, string RefundReference) : IDomainEvent;

/// <summary>The payment's order was refunded: the money is owed back until the provider confirms the refund.</summary>
public sealed record PaymentRefundRequested(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid OrderId, long AmountMinor, RefundReason Reason) : IDomainEvent;

/// <summary>The buyer's bank disputes the charge; the money is held until the dispute closes.</summary>
public sealed record PaymentDisputed(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid OrderId, string DisputeReference, string? Reason) : IDomainEvent;

/// <summary>
/// One charge the provider made for an order, whatever became of it: every charge and every refund
/// is recorded, so that the books match the provider's. At most one <see cref="PaymentStatus.Succeeded"/>
/// payment per order.
/// </summary>
public sealed class Payment : AggregateRoot
{
    private Payment()
    {
        Currency = string.Empty;
        ProviderReference = string.Empty;
    }

    public Guid OrderId { get; private init; }

    public long AmountMinor { get; private init; }

    public string Currency { get; private init; }

    /// <summary>The provider's id of the charge (a Stripe PaymentIntent id, or the test gateway's).</summary>
    public string ProviderReference { get; private init; }

    public PaymentStatus Status { get; private set; }

    public RefundReason? RefundReason { get; private set; }

    /// <summary>The provider's id of the (last) refund.</summary>
    public string? RefundReference { get; private set; }

    /// <summary>How much of the payment went back; the whole of it once <see cref="PaymentStatus.Refunded"/>.</summary>
    public long RefundedMinor { get; private set; }

    public DateTimeOffset? RefundedAt { get; private set; }

    public string? DisputeReference { get; private set; }

    public string? DisputeReason { get; private set; }

    public DateTimeOffset? DisputedAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private init; }

    /// <summary>Money the provider took that pays for its order.</summary>
    public static Payment Record(Guid id, Guid orderId, long amountMinor, string currency, string providerReference, DateTimeOffset now)
    {
        var payment = Create(id, orderId, amountMinor, currency, providerReference, PaymentStatus.Succeeded, reason: null, now);
        payment.Created(new PaymentCreated(id, 0, now, orderId, amountMinor, payment.Currency, providerReference));
        return payment;
    }

    /// <summary>
    /// Money the provider took that its order cannot take. Recorded before the refund is asked for,
    /// so that a crash in between leaves a refund owed on the books rather than money nobody knows of.
    /// Raises no <see cref="PaymentCreated"/>: nothing may complete an order from it.
    /// </summary>
    public static Payment Reject(Guid id, Guid orderId, long amountMinor, string currency, string providerReference, RefundReason reason, DateTimeOffset now)
    {
        var payment = Create(id, orderId, amountMinor, currency, providerReference, PaymentStatus.Refunding, reason, now);
        payment.Created(new PaymentRejected(id, 0, now, orderId, amountMinor, payment.Currency, providerReference, reason));
        return payment;
    }

    /// <summary>
    /// The money that paid for a completed order is owed back (the order was refunded): recorded
    /// before the provider is asked, like a rejected payment's. Returns false unless it still paid for its order.
    /// </summary>
    public bool RequestRefund(RefundReason reason, DateTimeOffset now)
    {
        if (Status != PaymentStatus.Succeeded)
        {
            return false;
        }

        Status = PaymentStatus.Refunding;
        RefundReason = reason;
        Change(v => new PaymentRefundRequested(Id, v, now, OrderId, AmountOwed, reason));
        return true;
    }

    /// <summary>What a refund of this payment returns: all of it less what the provider refunded already.</summary>
    public long AmountOwed => AmountMinor - RefundedMinor;

    /// <summary>The refund owed went through. Returns false when already recorded.</summary>
    public bool CompleteRefund(string refundReference, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(refundReference);
        if (Status != PaymentStatus.Refunding)
        {
            return false;
        }

        var refundedNow = AmountOwed;
        MarkRefunded(refundReference, now);
        Change(v => new PaymentRefunded(Id, v, now, OrderId, refundReference, refundedNow, RefundReason!.Value));
        return true;
    }

    /// <summary>
    /// The provider reports <paramref name="totalRefundedMinor"/> of this payment refunded. A refund
    /// this application owed completes; a refund of the whole of a payment that completed its order
    /// reverses the sale; a partial refund is recorded and changes nothing else. Returns false when
    /// nothing new was learnt.
    /// </summary>
    public bool RecordProviderRefund(string refundReference, long totalRefundedMinor, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(refundReference);
        switch (Status)
        {
            case PaymentStatus.Refunding:
                return CompleteRefund(refundReference, now);
            case PaymentStatus.Succeeded when totalRefundedMinor >= AmountMinor:
                RefundReason = Payments.RefundReason.Provider;
                MarkRefunded(refundReference, now);
                Change(v => new PaymentReversed(Id, v, now, OrderId, refundReference));
                return true;
            case PaymentStatus.Succeeded when totalRefundedMinor > RefundedMinor:
                var refundedNow = totalRefundedMinor - RefundedMinor;
                RefundedMinor = totalRefundedMinor;
                RefundReference = refundReference;
                RefundedAt = now;
                Change(v => new PaymentRefunded(Id, v, now, OrderId, refundReference, refundedNow, Payments.RefundReason.Provider));
                return true;
            default:
                return false;
        }
    }

    /// <summary>The buyer's bank opened a dispute. Returns false when this dispute is already recorded.</summary>
    public bool RecordDispute(string disputeReference, string? reason, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(disputeReference);
        if (DisputeReference == disputeReference)
        {
            return false;
        }

        DisputeReference = disputeReference;
        DisputeReason = reason;
        DisputedAt = now;
        Change(v => new PaymentDisputed(Id, v, now, OrderId, disputeReference, reason));
        return true;
    }

    private void MarkRefunded(string refundReference, DateTimeOffset now)
    {
        Status = PaymentStatus.Refunded;
        RefundReference = refundReference;
        RefundedMinor = AmountMinor;
        RefundedAt = now;
    }

    private static Payment Create(
        Guid id, Guid orderId, long amountMinor, string currency, string providerReference, PaymentStatus status, RefundReason? reason, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amountMinor);
        ArgumentException.ThrowIfNullOrWhiteSpace(currency);
        ArgumentException.ThrowIfNullOrWhiteSpace(providerReference);
        return new Payment
        {
            Id = id,
            OrderId = orderId,
            AmountMinor = amountMinor,
            Currency = currency.ToLowerInvariant(),
            ProviderReference = providerReference,
            Status = status,
            RefundReason = reason,
            CreatedAt = now,
        };
    }
}
