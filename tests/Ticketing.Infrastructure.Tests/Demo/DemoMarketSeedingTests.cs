using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Demo;

namespace Ticketing.Infrastructure.Tests.Demo;

/// <summary>
/// <c>Demo:Seed</c> on an empty database lists the whole embedded catalogue through the use cases,
/// by its sellers, with one sale and one reservation by its buyer; a second start adds nothing.
/// </summary>
public sealed class DemoMarketSeedingTests
{
    private static readonly Dictionary<string, string?> Seed = new() { ["Demo:Seed"] = "true" };

    [Fact]
    public async Task DemoSeed_OnAnEmptyDatabase_ListsTheCatalogue_ThenLeavesTheMarketAlone()
    {
        var path = TicketingApp.NewDatabasePath();
        try
        {
            await using (var first = new TicketingApp(settings: Seed, databasePath: path))
            {
                await using var db = first.Services.OpenDb();
                var tickets = await db.Tickets.AsNoTracking().ToListAsync();
                var accounts = await db.Users.AsNoTracking().Where(u => u.Email!.EndsWith(DemoCatalogue.EmailDomain)).ToListAsync();

                Assert.Equal(40, DemoCatalogue.Listings.Count);
                Assert.Equal(DemoCatalogue.Listings.Select(l => (l.Title, l.Price, l.Venue)).Order(), tickets.Select(t => (t.Title, t.Price, t.Venue)).Order());
                Assert.Equal(3, tickets.Count(t => t.EventDate is null));
                Assert.All(tickets.Where(t => t.EventDate is not null), t => Assert.Equal(TimeSpan.Zero, t.EventDate!.Value.Offset));
                Assert.Equal(
                    DemoCatalogue.Sellers.Append(DemoCatalogue.Buyer).Select(n => n + DemoCatalogue.EmailDomain).Order(),
                    accounts.Select(a => a.Email!).Order());
                Assert.Equal(DemoCatalogue.Sellers.Count, tickets.Select(t => t.SellerId).Distinct().Count());
                Assert.Single(tickets, t => t.Status == TicketStatus.Sold);
                Assert.Single(tickets, t => t.Status == TicketStatus.Reserved);
            }

            await using var second = new TicketingApp(settings: Seed, databasePath: path);
            await using var again = second.Services.OpenDb();

            Assert.Equal(40, await again.Tickets.CountAsync());
        }
        finally
        {
            TicketingApp.DeleteDatabase(path);
        }
    }
}
