using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api;

/// <summary>
/// One app per test class. Every test signs up its own users, so the sign-up and reservation rate
/// limits are raised far above what a class needs (<see cref="RateLimitingTests"/> checks the limits themselves), and a
/// webhook secret is set so that tests can sign Stripe events.
/// </summary>
public abstract class AppFixture(params (string Key, string Value)[] overrides) : IAsyncLifetime
{
    public const string WebhookSecret = "whsec_api_tests_3f8a1c2e9b7d4f60a5c1";

    public TicketingApp App { get; } = new(settings: Settings(overrides));

    public static Dictionary<string, string?> Settings(params (string Key, string Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["RateLimiting:AuthPermitLimit"] = "100000",
            ["RateLimiting:OrdersPermitLimit"] = "100000",
            ["Stripe:WebhookSecret"] = WebhookSecret,
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class ApiFixture() : AppFixture;

/// <summary>Orders that expire one second after they are placed.</summary>
public sealed class ShortReservationFixture() : AppFixture(("Ordering:ReservationSeconds", "1"));
