using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Admin;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Testing;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Web.Tests.Admin;

/// <summary>
/// One app over a market of 6,000 listings and 4,800 orders (2,400 paid, 1,200 reserved, 1,200
/// cancelled), a few listings withdrawn, shared read-only by a test class. Titles, venues, prices and
/// emails vary so that every search and sort has something to tell apart.
/// </summary>
public sealed class AdminMarketFixture : IAsyncLifetime
{
    public const int ListingCount = 6_000;

    /// <summary>
    /// Listed over the last hours, and reserved for a day: the app runs during the tests, and its
    /// expiry job must not end the seeded reservations under them.
    /// </summary>
    public static readonly DateTimeOffset Oldest = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeSeconds());

    public static readonly string[] Bands = ["Arctic Monkeys", "Coldplay", "Muse", "Radiohead", "Blur"];

    /// <summary>The last one holds LIKE's wildcards, which a search must take literally.</summary>
    public static readonly string[] Venues = ["O2 Arena", "Royal Albert Hall", "Wembley 100%_Stadium"];

    private AsyncServiceScope _scope;

    public TicketingApp App { get; } = new();

    public List<Guid> Sellers { get; private set; } = [];

    public List<Guid> Buyers { get; private set; } = [];

    public List<SeededListing> Seeded { get; private set; } = [];

    public HashSet<Guid> Withdrawn { get; } = [];

    public AdminDashboard Dashboard => _scope.ServiceProvider.GetRequiredService<AdminDashboard>();

    /// <summary>The listings still on the market.</summary>
    public IEnumerable<SeededListing> Listed => Seeded.Where(s => !Withdrawn.Contains(s.Ticket.Id));

    public static decimal PriceOf(int i) => ((i * 7919L % 99_999_99) + 1) / 100m;

    public async Task InitializeAsync()
    {
        _scope = App.Services.CreateAsyncScope();
        Sellers = await MarketSeed.UsersAsync(App.Services, "seller", 20, Oldest);
        Buyers = await MarketSeed.UsersAsync(App.Services, "buyer", 20, Oldest);
        Seeded = await MarketSeed.ListingsAsync(
            App.Services,
            Sellers,
            ListingCount,
            Oldest,
            i => TicketDetails.Create($"Show {i:D4} {Bands[i % Bands.Length]}", PriceOf(i), venue: Venues[i % Venues.Length]),
            i => (i % 5) switch
            {
                1 or 2 => (Buyers[i % Buyers.Count], SeededOutcome.Paid),
                3 => (Buyers[i % Buyers.Count], SeededOutcome.Reserved),
                4 => (Buyers[i % Buyers.Count], SeededOutcome.Cancelled),
                _ => null,
            },
            TimeSpan.FromDays(1));

        // A few withdrawn as their sellers would, through the use case: gone from grids and figures.
        var listings = _scope.ServiceProvider.GetRequiredService<TicketListings>();
        foreach (var seeded in Seeded.Where(s => s.Order is null).Take(10))
        {
            await listings.WithdrawAsync(new Actor(seeded.Ticket.SellerId), seeded.Ticket.Id);
            Withdrawn.Add(seeded.Ticket.Id);
        }
    }

    public async Task DisposeAsync()
    {
        await _scope.DisposeAsync();
        await App.DisposeAsync();
    }

    public string SellerEmail(Guid sellerId) => $"seller-{Sellers.IndexOf(sellerId)}@example.com";

    public string BuyerEmail(Guid buyerId) => $"buyer-{Buyers.IndexOf(buyerId)}@example.com";
}
