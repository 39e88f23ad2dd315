using System.Collections.Concurrent;
using Ticketing.Domain.Payments;

namespace Ticketing.Infrastructure.Payments;

/// <summary>
/// The gateway used when no Stripe key is configured. It answers Stripe's documented test values the
/// way Stripe's test mode does, so that a flow tested here behaves the same against Stripe.
/// </summary>
/// <remarks>
/// Idempotent like Stripe: the first result for an idempotency key is kept (declines included) and
/// replayed for every retry with that key. Reusing a key for a different request is a programming
/// error, as it is at Stripe, so it throws. A new attempt (another token) therefore needs a new key.
/// Registered as a singleton: the idempotency records live as long as the process.
/// </remarks>
public sealed class TestPaymentGateway : IPaymentGateway
{
    private static readonly HashSet<string> SucceedingTokens = new(StringComparer.Ordinal)
    {
        "tok_visa", "pm_card_visa", "tok_mastercard", "pm_card_mastercard",
    };

    private static readonly HashSet<string> DecliningTokens = new(StringComparer.Ordinal)
    {
        "tok_chargeDeclined", "pm_card_chargeDeclined",
        "tok_chargeDeclinedInsufficientFunds", "pm_card_chargeDeclinedInsufficientFunds",
    };

    private readonly ConcurrentDictionary<string, (ChargeRequest Request, ChargeResult Result)> _charges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (RefundRequest Request, string RefundId)> _refunds = new(StringComparer.Ordinal);

    public string Name => "test";

    public Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.IdempotencyKey);
        cancellationToken.ThrowIfCancellationRequested();

        // GetOrAdd may run the factory twice under a race, but every caller gets the stored value,
        // so concurrent retries still see one reference.
        var stored = _charges.GetOrAdd(request.IdempotencyKey, static (_, r) => (r, Decide(r.Token)), request);
        EnsureSameRequest(stored.Request, request, request.IdempotencyKey);
        return Task.FromResult(stored.Result);
    }

    public Task<string> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.IdempotencyKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ProviderReference);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.AmountMinor);
        cancellationToken.ThrowIfCancellationRequested();

        var stored = _refunds.GetOrAdd(request.IdempotencyKey, static (_, r) => (r, NewId("re_test_")), request);
        EnsureSameRequest(stored.Request, request, request.IdempotencyKey);
        return Task.FromResult(stored.RefundId);
    }

    private static ChargeResult Decide(string? token)
    {
        if (token is not null && SucceedingTokens.Contains(token))
        {
            return ChargeResult.Success(NewId("pi_test_"));
        }

        if (token is not null && DecliningTokens.Contains(token))
        {
            return ChargeResult.Decline(GatewayMessages.Declined);
        }

        return new ChargeResult(ChargeOutcome.InvalidToken, null, GatewayMessages.UnknownToken);
    }

    private static void EnsureSameRequest<T>(T first, T current, string key)
    {
        if (!EqualityComparer<T>.Default.Equals(first, current))
        {
            throw new InvalidOperationException(
                $"Idempotency key '{key}' was already used for a different request; use a new key for a new attempt.");
        }
    }

    private static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N");
}
