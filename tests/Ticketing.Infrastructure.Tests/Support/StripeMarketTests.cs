namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>A test class on the app on Stripe: each test gets a fresh <see cref="StripeMarket"/>.</summary>
/// <param name="reservationSeconds">The reservation window, when a test waits for it to close.</param>
/// <param name="apiOnly">See <see cref="StripeMarket.StartAsync"/>.</param>
public abstract class StripeMarketTests(int? reservationSeconds = null, bool apiOnly = false) : IAsyncLifetime
{
    private StripeMarket? _market;

    internal StripeMarket Market => _market ?? throw new InvalidOperationException("The market starts with the test.");

    internal StripeStub Stub => Market.Stub;

    internal TicketingApp App => Market.App;

    /// <summary>Counts the reads of each order row, for the classes whose races need it.</summary>
    internal virtual OrderReadCounter? Reads => null;

    public async Task InitializeAsync() => _market = await StripeMarket.StartAsync(reservationSeconds, Reads, apiOnly);

    public async Task DisposeAsync()
    {
        if (_market is not null)
        {
            await _market.DisposeAsync();
        }
    }
}
