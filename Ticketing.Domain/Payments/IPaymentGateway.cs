namespace Ticketing.Domain.Payments;

/// <summary>A request to take money for an order, in integer minor units.</summary>
/// <param name="IdempotencyKey">The same key for a retry of the same attempt, so that it is charged once.</param>
public sealed record ChargeRequest(Guid OrderId, long AmountMinor, string Currency, string Token, string IdempotencyKey, string? Description = null);

public enum ChargeOutcome
{
    Succeeded,

    /// <summary>The card was declined; the buyer may try another.</summary>
    Declined,

    /// <summary>The provider does not know the token or payment method.</summary>
    InvalidToken,

    /// <summary>The payment was started but is confirmed later (e.g. 3-D Secure); a webhook completes it.</summary>
    Pending,
}

public sealed record ChargeResult(ChargeOutcome Outcome, string? Reference, string? Message = null)
{
    public static ChargeResult Success(string reference) => new(ChargeOutcome.Succeeded, reference);

    public static ChargeResult Decline(string message) => new(ChargeOutcome.Declined, null, message);
}

public sealed record RefundRequest(string ProviderReference, long AmountMinor, string IdempotencyKey);

/// <summary>The port the Payments context charges and refunds through.</summary>
public interface IPaymentGateway
{
    string Name { get; }

    Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken);

    /// <returns>The provider's refund id.</returns>
    Task<string> RefundAsync(RefundRequest request, CancellationToken cancellationToken);
}
