namespace Ticketing.Infrastructure.Payments;

/// <summary>
/// Bound from the <c>Stripe</c> section (keys, webhook secret, API base) and <c>Payments:Currency</c>.
/// With no secret key the built-in <see cref="TestPaymentGateway"/> takes the payments.
/// </summary>
public sealed class PaymentsOptions
{
    public string SecretKey { get; set; } = string.Empty;

    public string PublishableKey { get; set; } = string.Empty;

    /// <summary>The endpoint's signing secret (<c>whsec_...</c>); empty rejects every webhook.</summary>
    public string WebhookSecret { get; set; } = string.Empty;

    /// <summary>ISO 4217 code, lower case as Stripe writes it.</summary>
    public string Currency { get; set; } = "usd";

    /// <summary>Overrides Stripe's API address, for a local stub of the Stripe API in tests.</summary>
    public string? ApiBase { get; set; }

    public bool UseStripe => !string.IsNullOrWhiteSpace(SecretKey);
}
