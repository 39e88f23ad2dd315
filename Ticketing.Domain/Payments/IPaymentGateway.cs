using Ticketing.Domain.Common;

namespace Ticketing.Domain.Payments;

/// <summary>A request to take money for an order, in integer minor units.</summary>
/// <param name="AttemptKey">
/// The order's payment attempt: the provider's idempotency key derives from it, so that a retry of
/// the same attempt is charged once whatever token it carries, and a new attempt (after a decline)
/// may be charged.
/// </param>
/// <param name="ReturnUrl">
/// Where the provider sends the buyer back if their bank's step takes them away from the order page
/// (e.g. a 3-D Secure redirect); null for callers without a page (the API).
/// </param>
public sealed record ChargeRequest(Guid OrderId, long AmountMinor, string Currency, string Token, string AttemptKey, string? Description = null, string? ReturnUrl = null)
{
    /// <summary>What the provider needs to find this order's charge again.</summary>
    public ChargeLookup Lookup => new(OrderId, AmountMinor, Currency, Description);
}

/// <summary>The order whose charge is looked for, described as it was when charged.</summary>
public sealed record ChargeLookup(Guid OrderId, long AmountMinor, string Currency, string? Description = null);

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

/// <param name="Reference">The provider's payment for the order (a Stripe PaymentIntent id), also when declined, if one exists.</param>
/// <param name="ActionSecret">
/// When the payment waits for the buyer (3-D Secure): what the buyer's browser needs to take them
/// through their bank's step (a Stripe client secret). Only ever shown to the order's buyer.
/// </param>
public sealed record ChargeResult(ChargeOutcome Outcome, string? Reference, string? Message = null, string? ActionSecret = null)
{
    public static ChargeResult Success(string reference) => new(ChargeOutcome.Succeeded, reference);

    public static ChargeResult Decline(string message, string? reference = null) => new(ChargeOutcome.Declined, reference, message);
}

public enum ChargeState
{
    /// <summary>No money was taken for the order (nothing opened, or opened and never confirmed, declined or cancelled).</summary>
    NotCharged,

    /// <summary>Started and waiting for the buyer or the bank (e.g. 3-D Secure).</summary>
    Pending,

    /// <summary>The money was taken.</summary>
    Succeeded,
}

/// <summary>What the provider knows of an order's charge.</summary>
/// <param name="ActionSecret">For a <see cref="ChargeState.Pending"/> payment that waits for the buyer's bank step: see <see cref="ChargeResult.ActionSecret"/>.</param>
public sealed record ChargeStatus(ChargeState State, string? Reference, long AmountMinor = 0, string? Currency = null, string? ActionSecret = null)
{
    public static readonly ChargeStatus None = new(ChargeState.NotCharged, null);
}

public sealed record RefundRequest(string ProviderReference, long AmountMinor, string IdempotencyKey);

/// <summary>
/// The provider could not be asked, or refused the request, before any money could move: nothing was
/// charged, and the buyer may try again (HTTP 503).
/// </summary>
public sealed class PaymentProviderUnavailableException(string message = PaymentProviderUnavailableException.DefaultMessage) : DomainException(message)
{
    public const string DefaultMessage = "The payment provider could not be reached. Nothing was charged; please try again.";
}

/// <summary>
/// The port the Payments context charges and refunds through. Any exception other than
/// <see cref="PaymentProviderUnavailableException"/> from <see cref="ChargeAsync"/> means the
/// outcome is unknown: money may have moved, and <see cref="FindChargeAsync"/> tells later.
/// </summary>
public interface IPaymentGateway
{
    string Name { get; }

    /// <summary>
    /// Whether the provider could know this token or payment method, by a local check of its form.
    /// Made before the order is claimed, so that garbage is refused without changing anything.
    /// </summary>
    bool IsPlausibleToken(string token);

    /// <summary>Charges the order. An order has one provider payment, confirmed once per attempt.</summary>
    Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken);

    /// <summary>The order's charge as the provider knows it now: how a charge whose outcome was lost is settled.</summary>
    Task<ChargeStatus> FindChargeAsync(ChargeLookup lookup, CancellationToken cancellationToken);

    /// <summary>Stops a payment that has not taken money yet. Returns false when it already succeeded.</summary>
    /// <param name="idempotencyKey">Derived from the order's last payment attempt, so that a repeated cancel is one cancel.</param>
    Task<bool> CancelAsync(string providerReference, string idempotencyKey, CancellationToken cancellationToken);

    /// <returns>The provider's refund id.</returns>
    Task<string> RefundAsync(RefundRequest request, CancellationToken cancellationToken);
}
