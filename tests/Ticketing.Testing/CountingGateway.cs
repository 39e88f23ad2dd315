using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Payments;

namespace Ticketing.Testing;

/// <summary>
/// A decorator around the gateway the app really uses (the test gateway, or Stripe against the
/// stub): it counts what reaches the provider, can hold every charge inside the gateway until
/// released, and can lose one answer, as a crash or a network failure would.
/// </summary>
public sealed class CountingGateway : IPaymentGateway
{
    private readonly ConcurrentQueue<ChargeRequest> _charges = new();
    private readonly ConcurrentQueue<RefundRequest> _refunds = new();
    private IPaymentGateway? _inner;
    private ChargeHold? _hold;
    private Exception? _failAfterNextCharge;
    private Exception? _failInsteadOfNextCharge;
    private Exception? _failNextRefund;

    public string Name => Inner.Name;

    public bool IsPlausibleToken(string token) => Inner.IsPlausibleToken(token);

    /// <summary>Every charge that reached the gateway.</summary>
    public IReadOnlyList<ChargeRequest> ChargeRequests => [.. _charges];

    public int Charges => _charges.Count;

    public IReadOnlyList<RefundRequest> RefundRequests => [.. _refunds];

    public IPaymentGateway Inner => _inner ?? throw new InvalidOperationException("The app has not resolved its gateway yet.");

    public int ChargesFor(Guid orderId) => _charges.Count(c => c.OrderId == orderId);

    /// <summary>Puts this decorator around the gateway the app registered.</summary>
    public void Install(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IPaymentGateway));
        services.AddSingleton<IPaymentGateway>(sp =>
        {
            _inner = original.ImplementationFactory is { } factory
                ? (IPaymentGateway)factory(sp)
                : (IPaymentGateway)(original.ImplementationInstance ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!));
            return this;
        });
    }

    /// <summary>From now on every charge waits inside the gateway, before the provider is asked, until the hold is released.</summary>
    public ChargeHold HoldCharges()
    {
        var hold = new ChargeHold();
        Volatile.Write(ref _hold, hold);
        return hold;
    }

    /// <summary>The next charge goes through at the provider, then its answer is lost.</summary>
    public void LoseTheAnswerOfTheNextCharge(Exception failure) => Volatile.Write(ref _failAfterNextCharge, failure);

    /// <summary>The next charge fails before reaching the provider, in a way that leaves its outcome unknown to the caller.</summary>
    public void FailTheNextChargeBeforeTheProvider(Exception failure) => Volatile.Write(ref _failInsteadOfNextCharge, failure);

    /// <summary>The next refund is not made: the provider cannot be reached.</summary>
    public void FailTheNextRefund(Exception failure) => Volatile.Write(ref _failNextRefund, failure);

    public async Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken)
    {
        _charges.Enqueue(request);
        if (Volatile.Read(ref _hold) is { } hold)
        {
            hold.Enter();
            await hold.Released.WaitAsync(cancellationToken);
        }

        if (Interlocked.Exchange(ref _failInsteadOfNextCharge, null) is { } before)
        {
            throw before;
        }

        var result = await Inner.ChargeAsync(request, cancellationToken);
        if (Interlocked.Exchange(ref _failAfterNextCharge, null) is { } after)
        {
            throw after;
        }

        return result;
    }

    public Task<ChargeStatus> FindChargeAsync(ChargeLookup lookup, CancellationToken cancellationToken) =>
        Inner.FindChargeAsync(lookup, cancellationToken);

    public Task<bool> CancelAsync(string providerReference, string idempotencyKey, CancellationToken cancellationToken) =>
        Inner.CancelAsync(providerReference, idempotencyKey, cancellationToken);

    public Task<string> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        _refunds.Enqueue(request);
        return Interlocked.Exchange(ref _failNextRefund, null) is { } failure
            ? Task.FromException<string>(failure)
            : Inner.RefundAsync(request, cancellationToken);
    }
}

/// <summary>Charges held inside the gateway (see <see cref="CountingGateway.HoldCharges"/>).</summary>
public sealed class ChargeHold
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first held charge is inside the gateway.</summary>
    public Task Entered => _entered.Task;

    internal Task Released => _released.Task;

    public void Release() => _released.TrySetResult();

    internal void Enter() => _entered.TrySetResult();
}
