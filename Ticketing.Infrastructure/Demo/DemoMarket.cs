using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Tickets;

namespace Ticketing.Infrastructure.Demo;

/// <summary>
/// A first-run market to look at: a few sellers, about forty listings, one reserved and one sold.
/// Runs with <c>--demo</c> or <c>Demo:Seed=true</c> (the Development default), on a database with no
/// listings yet, never in Production (decision 31). Everything goes through the use cases a person
/// would reach (sign-up, listing, reserving, paying on the test gateway), so the outbox, live
/// pushes, e-mails and the audit trail see an ordinary market.
/// </summary>
public sealed partial class DemoMarket(
    IDbContextFactory<TicketingDbContext> contexts,
    UserManager<AppUser> users,
    TicketListings listings,
    TicketOrders orders,
    OrderPayments payments,
    IOptions<PaymentsOptions> paymentOptions,
    IConfiguration configuration,
    IHostEnvironment environment,
    TimeProvider clock,
    ILogger<DemoMarket> logger)
{
    /// <summary>The command-line switch; it stands for <c>Demo:Seed=true</c>.</summary>
    public const string Flag = "--demo";

    /// <summary>
    /// The command line with <c>--demo</c> spelled as the setting it stands for: a bare switch would
    /// otherwise take the next argument as its value.
    /// </summary>
    public static string[] TranslateFlag(string[] args) =>
        [.. args.Select(a => string.Equals(a, Flag, StringComparison.OrdinalIgnoreCase) ? "--Demo:Seed=true" : a)];

    /// <returns>True when the demo market was created now.</returns>
    public async Task<bool> SeedIfAskedAsync(CancellationToken cancellationToken = default)
    {
        if (!configuration.GetValue<bool>("Demo:Seed"))
        {
            return false;
        }

        if (environment.IsProduction())
        {
            LogRefusedInProduction();
            return false;
        }

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            // Once only: a market that has (or had) listings, or an earlier demo run cut short, is left alone.
            if (await db.Tickets.AnyAsync(cancellationToken) || await db.Users.AnyAsync(u => u.Email!.EndsWith(DemoCatalogue.EmailDomain), cancellationToken))
            {
                LogAlreadySeeded();
                return false;
            }
        }

        var sellers = new List<Actor>();
        foreach (var name in DemoCatalogue.Sellers)
        {
            sellers.Add(await CreateAccountAsync(name));
        }

        var buyer = await CreateAccountAsync(DemoCatalogue.Buyer);
        var now = clock.GetUtcNow();
        var listed = new List<Guid>();
        var i = 0;
        foreach (var listing in DemoCatalogue.Listings)
        {
            var seller = sellers[i++ % sellers.Count];
            var input = new TicketInput(listing.Title, listing.Price, listing.DaysAhead is { } days ? EventDate(now, days, listing.Hour) : null, listing.Venue, listing.Description);
            listed.Add((await listings.CreateAsync(seller, input, cancellationToken)).Id);
        }

        // The newest two: one sold (paid on the built-in test gateway), one held by the buyer for the reservation window.
        if (paymentOptions.Value.UseStripe)
        {
            // A demo never charges a real account: with Stripe configured there is no demo sale.
            LogSaleSkippedOnStripe();
        }
        else
        {
            var sale = await orders.ReserveAsync(buyer, listed[^1], cancellationToken);
            await payments.PayAsync(buyer, sale.Id, "tok_visa", cancellationToken: cancellationToken);
        }

        await orders.ReserveAsync(buyer, listed[^2], cancellationToken);
        LogSeeded(listed.Count, sellers.Count, DemoCatalogue.Password);
        return true;
    }

    /// <summary>An evening in the days ahead, on the hour, in UTC.</summary>
    private static DateTimeOffset EventDate(DateTimeOffset now, int daysAhead, int hour) =>
        new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(daysAhead).AddHours(hour);

    private async Task<Actor> CreateAccountAsync(string name)
    {
        var email = name + DemoCatalogue.EmailDomain;
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true };
        var result = await users.CreateAsync(user, DemoCatalogue.Password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not create the demo account {email}: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }

        return new Actor(user.Id);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo:Seed (or --demo) is ignored in Production: the demo market is never created there")]
    private partial void LogRefusedInProduction();

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo market not created: the database already has listings or demo accounts")]
    private partial void LogAlreadySeeded();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo market: Stripe is configured, so no demo ticket is sold (a demo never charges a card)")]
    private partial void LogSaleSkippedOnStripe();

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the demo market: {Listings} listings by {Sellers} sellers, one reserved and one sold; demo accounts sign in with the password {Password}")]
    private partial void LogSeeded(int listings, int sellers, string password);
}
