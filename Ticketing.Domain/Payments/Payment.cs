using Ticketing.Domain.Common;

namespace Ticketing.Domain.Payments;

public enum PaymentStatus
{
    Succeeded,
    Refunded,
}

public sealed record PaymentCreated(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid OrderId, long AmountMinor, string Currency, string ProviderReference) : IDomainEvent;

public sealed record PaymentRefunded(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid OrderId, string RefundReference) : IDomainEvent;

/// <summary>Money received for an order. At most one per order; refunded if its ticket was gone.</summary>
public sealed class Payment : AggregateRoot
{
    private Payment()
    {
        Currency = string.Empty;
        ProviderReference = string.Empty;
    }

    public Guid OrderId { get; private set; }

    public long AmountMinor { get; private set; }

    public string Currency { get; private set; }

    /// <summary>The provider's id of the charge (a Stripe PaymentIntent id, or the test gateway's).</summary>
    public string ProviderReference { get; private set; }

    public PaymentStatus Status { get; private set; }

    public string? RefundReference { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static Payment Record(Guid id, Guid orderId, long amountMinor, string currency, string providerReference, DateTimeOffset now)
    {
        var payment = Create(id, orderId, amountMinor, currency, providerReference, PaymentStatus.Succeeded, refundReference: null, now);
        payment.Created(new PaymentCreated(id, 0, now, orderId, amountMinor, payment.Currency, providerReference));
        return payment;
    }

    /// <summary>
    /// Records money that was taken but refunded at once because the ticket was gone. Raises no
    /// <see cref="PaymentCreated"/>: nothing may complete an order from it.
    /// </summary>
    public static Payment RecordRefunded(Guid id, Guid orderId, long amountMinor, string currency, string providerReference, string refundReference, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(refundReference);
        var payment = Create(id, orderId, amountMinor, currency, providerReference, PaymentStatus.Refunded, refundReference, now);
        payment.Created(new PaymentRefunded(id, 0, now, orderId, refundReference));
        return payment;
    }

    private static Payment Create(
        Guid id, Guid orderId, long amountMinor, string currency, string providerReference, PaymentStatus status, string? refundReference, DateTimeOffset now)
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
            RefundReference = refundReference,
            CreatedAt = now,
        };
    }
}
