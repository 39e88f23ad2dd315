using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Paging;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Infrastructure.Tickets;

namespace Ticketing.Infrastructure.Tests.Tickets;

/// <summary>
/// The lists read their page off an index, however deep the page: SQLite never sorts the whole
/// market to hand back one page (a plan line "USE TEMP B-TREE FOR ORDER BY").
/// </summary>
public sealed class ListQueryPlanTests(ListingMarket market) : IClassFixture<ListingMarket>
{
    public static TheoryData<string> Lists => ["newest", "newest, after a cursor", "available", "reserved, deep page", "one seller's", "price, deep page", "event date", "searched", "a buyer's orders", "a buyer's orders, after a cursor"];

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task ListQuery_ReadsItsPageOffAnIndex(string list)
    {
        var cursor = new ListCursor(ListingMarket.Newest.AddMinutes(-20), Guid.NewGuid());
        market.Commands.Clear();

        await (list switch
        {
            "newest" => Tickets(l => l.ListAsync(new TicketFilter(), null, 100)),
            "newest, after a cursor" => Tickets(l => l.ListAsync(new TicketFilter(), cursor, 100)),
            "available" => Tickets(l => l.PageAsync(new TicketFilter(Status: TicketStatus.Available), TicketSort.Newest, 3, 24)),
            "reserved, deep page" => Tickets(l => l.PageAsync(new TicketFilter(Status: TicketStatus.Reserved), TicketSort.Newest, 50, 24)),
            "one seller's" => Tickets(l => l.PageAsync(new TicketFilter(SellerId: market.Seller), TicketSort.Newest, 40, 20)),
            "price, deep page" => Tickets(l => l.PageAsync(new TicketFilter(), TicketSort.PriceDescending, 90, 24)),
            "event date" => Tickets(l => l.PageAsync(new TicketFilter(), TicketSort.EventDate, 2, 24)),
            "searched" => Tickets(l => l.ListAsync(new TicketFilter("arena"), cursor, 100)),
            "a buyer's orders" => Orders(r => r.PageForBuyerAsync(Guid.NewGuid(), 1, 20)),
            _ => Orders(r => r.ListForBuyerAsync(Guid.NewGuid(), cursor, 100)),
        });

        var table = list.Contains("orders", StringComparison.Ordinal) ? "orders" : "tickets";
        var queries = market.Commands.Commands.Where(c => c.Sql.Contains($"FROM \"{table}\"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(queries);
        foreach (var query in queries)
        {
            var plan = await query.PlanAsync(market.DatabasePath);
            var reads = plan.Where(step => step.StartsWith("SCAN ", StringComparison.Ordinal) || step.StartsWith("SEARCH ", StringComparison.Ordinal)).ToList();
            var because = $"{list}: {string.Join(" | ", plan)}\n{query.Sql}";
            Assert.True(reads.Count > 0 && reads.All(step => step.Contains("INDEX", StringComparison.Ordinal)), because);
            Assert.False(plan.Contains("USE TEMP B-TREE FOR ORDER BY"), because);
        }
    }

    private async Task Tickets<T>(Func<TicketListings, Task<T>> read) => await market.UseAsync(read);

    private async Task Orders<T>(Func<TicketOrders, Task<T>> read) => await market.UseAsync(read);
}
