using System.Collections.Concurrent;

namespace Ticketing.Infrastructure.Payments;

/// <summary>
/// The gateway used when no Stripe key is configured. It answers Stripe's documented test values the
/// way Stripe's test mode does, so that a flow tested here behaves the same against Stripe.
/// </summary>
/// <remarks>
/// Like <see cref="StripePaymentGateway"/>, an order has one payment, opened by its first charge and
/// confirmed once per attempt: the first result for an attempt key is kept (declines included) and
/// replayed for every retry with that key, and reusing a key for a different request throws, as it
/// does at Stripe. Registered as a singleton: the records live as long as the process.
/// </remarks>
public sealed class TestPaymentGateway : IPaymentGateway
{
    private static readonly HashSet<string> SucceedingTokens = new(StringComparer.Ordinal)
    {
        "tok_visa", "pm_card_visa", "tok_mastercard", "pm_card_mastercard", "tok_amex", "pm_card_amex",
    };

    private static readonly HashSet<string> DecliningTokens = new(StringComparer.Ordinal)
    {
        "tok_chargeDeclined", "pm_card_chargeDeclined",
        "tok_chargeDeclinedInsufficientFunds", "pm_card_chargeDeclinedInsufficientFunds",
    };

    private readonly ConcurrentDictionary<Guid, TestPayment> _payments = new();
    private readonly ConcurrentDictionary<string, TestPayment> _byReference = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (ChargeRequest Request, ChargeResult Result)> _attempts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (RefundRequest Request, string RefundId)> _refunds = new(StringComparer.Ordinal);

    public string Name => "test";

    /// <summary>The test gateway knows every token it will ever accept or decline.</summary>
    public bool IsPlausibleToken(string token) => SucceedingTokens.Contains(token) || DecliningTokens.Contains(token);

    public Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.AttemptKey);
        cancellationToken.ThrowIfCancellationRequested();

        var payment = Open(request.Lookup);
        lock (payment)
        {
            if (_attempts.TryGetValue(request.AttemptKey, out var stored))
            {
                EnsureSameRequest(stored.Request, request, request.AttemptKey);
                return Task.FromResult(stored.Result);
            }

            var result = payment.State switch
            {
                // Confirming a payment that already took the money answers with that payment, as
                // StripePaymentGateway does when Stripe refuses to confirm it again.
                TestPaymentState.Succeeded => ChargeResult.Success(payment.Reference),
                TestPaymentState.Canceled => ChargeResult.Decline("The payment was canceled.", payment.Reference),
                _ => Decide(request.Token, payment.Reference),
            };
            if (result.Outcome == ChargeOutcome.Succeeded)
            {
                payment.State = TestPaymentState.Succeeded;
            }

            _attempts[request.AttemptKey] = (request, result);
            return Task.FromResult(result);
        }
    }

    public Task<ChargeStatus> FindChargeAsync(ChargeLookup lookup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_payments.TryGetValue(lookup.OrderId, out var payment))
        {
            return Task.FromResult(ChargeStatus.None);
        }

        lock (payment)
        {
            return Task.FromResult(payment.State == TestPaymentState.Succeeded
                ? new ChargeStatus(ChargeState.Succeeded, payment.Reference, payment.AmountMinor, payment.Currency)
                : new ChargeStatus(ChargeState.NotCharged, payment.Reference));
        }
    }

    public Task<bool> CancelAsync(string providerReference, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerReference);
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_byReference.TryGetValue(providerReference, out var payment))
        {
            return Task.FromResult(true);
        }

        lock (payment)
        {
            if (payment.State == TestPaymentState.Succeeded)
            {
                return Task.FromResult(false);
            }

            payment.State = TestPaymentState.Canceled;
            return Task.FromResult(true);
        }
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

    private TestPayment Open(ChargeLookup lookup)
    {
        var payment = _payments.GetOrAdd(lookup.OrderId, static (_, l) => new TestPayment(NewId("pi_test_"), l.AmountMinor, l.Currency.ToLowerInvariant()), lookup);
        _byReference.TryAdd(payment.Reference, payment);
        return payment;
    }

    private static ChargeResult Decide(string? token, string reference)
    {
        if (token is not null && SucceedingTokens.Contains(token))
        {
            return ChargeResult.Success(reference);
        }

        if (token is not null && DecliningTokens.Contains(token))
        {
            return ChargeResult.Decline(GatewayMessages.Declined, reference);
        }

        return new ChargeResult(ChargeOutcome.InvalidToken, reference, GatewayMessages.UnknownToken);
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

    private enum TestPaymentState
    {
        Open,
        Succeeded,
        Canceled,
    }

    private sealed class TestPayment(string reference, long amountMinor, string currency)
    {
        public string Reference { get; } = reference;

        public long AmountMinor { get; } = amountMinor;

        public string Currency { get; } = currency;

        public TestPaymentState State { get; set; }
    }
}
