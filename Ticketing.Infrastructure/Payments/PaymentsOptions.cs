namespace Ticketing.Infrastructure.Payments;

/// <summary>
/// Bound from the <c>Stripe</c> section (keys, webhook secret, API base) and the <c>Payments</c>
/// section (currency, charge timeout, reconciliation).
/// With no secret key the built-in <see cref="TestPaymentGateway"/> takes the payments.
/// </summary>
public sealed class PaymentsOptions
{
    public string SecretKey { get; set; } = string.Empty;

    /// <summary>The key Stripe.js uses on the order page (<c>pk_...</c>); public by design.</summary>
    public string PublishableKey { get; set; } = string.Empty;

    /// <summary>The endpoint's signing secret (<c>whsec_...</c>); empty rejects every webhook.</summary>
    public string WebhookSecret { get; set; } = string.Empty;

    /// <summary>ISO 4217 code, lower case as Stripe writes it.</summary>
    public string Currency { get; set; } = "usd";

    /// <summary>Overrides Stripe's API address, for a local stub of the Stripe API in tests.</summary>
    public string? ApiBase { get; set; }

    /// <summary>How long a payment request waits for the provider before leaving the charge to reconciliation.</summary>
    public int ChargeTimeoutSeconds { get; set; } = 60;

    /// <summary>
    /// How old a charge still in flight must be before reconciliation settles it: beyond any request
    /// that could still be waiting for the provider (<see cref="ChargeTimeoutSeconds"/>), so that a
    /// live request is never overtaken.
    /// </summary>
    public int ReconcileAfterSeconds { get; set; } = 120;

    /// <summary>How often the reconciliation job looks for charges and refunds left unsettled.</summary>
    public int ReconcileIntervalSeconds { get; set; } = 30;

    public bool UseStripe => !string.IsNullOrWhiteSpace(SecretKey);

    /// <summary>The order page takes cards in Stripe's Payment Element, which needs the publishable key.</summary>
    public bool UsePaymentElement => UseStripe && !string.IsNullOrWhiteSpace(PublishableKey);

    public TimeSpan ChargeTimeout => TimeSpan.FromSeconds(ChargeTimeoutSeconds);

    public TimeSpan ReconcileAfter => TimeSpan.FromSeconds(ReconcileAfterSeconds);

    public TimeSpan ReconcileInterval => TimeSpan.FromSeconds(ReconcileIntervalSeconds);
}
