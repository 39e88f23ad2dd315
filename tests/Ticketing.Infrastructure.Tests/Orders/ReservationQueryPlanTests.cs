using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Orders;

/// <summary>
/// A reservation reads only rows of its own ticket and its own buyer: at an on-sale thousands of
/// other buyers' orders are live, and a read that walked them would cost every reservation that much.
/// </summary>
public sealed class ReservationQueryPlanTests
{
    [Fact]
    public async Task Reserve_ReadsOnlyItsTicketAndItsBuyersOrders_OffIndexes()
    {
        var commands = new CommandRecorder();
        await using var app = new TicketingApp();
        var services = commands.Attach(app).Services;
        var buyer = Guid.NewGuid();
        var ticket = await services.ListTicketAsync(Guid.NewGuid());
        var earlier = await services.ListTicketAsync(Guid.NewGuid());
        await services.ReserveAsync(buyer, earlier.Id);
        await services.WaitForOutboxToSettleAsync();

        commands.Clear();
        await services.ReserveAsync(buyer, ticket.Id);

        var reads = commands.Commands.Where(c => c.Sql.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
            && (c.Sql.Contains("FROM \"orders\"", StringComparison.Ordinal) || c.Sql.Contains("FROM \"tickets\"", StringComparison.Ordinal) || c.Sql.Contains("FROM \"buyer_reservation_gates\"", StringComparison.Ordinal)))
            .ToList();
        Assert.NotEmpty(reads);
        var liveCount = Assert.Single(reads, c => c.Sql.Contains("COUNT(", StringComparison.OrdinalIgnoreCase));
        foreach (var read in reads)
        {
            var plan = await read.PlanAsync(app.DatabasePath);
            var because = $"{string.Join(" | ", plan)}\n{read.Sql}";
            var steps = plan.Where(step => step.StartsWith("SCAN ", StringComparison.Ordinal) || step.StartsWith("SEARCH ", StringComparison.Ordinal)).ToList();
            Assert.True(steps.Count > 0 && steps.All(step => step.StartsWith("SEARCH ", StringComparison.Ordinal)), because);
            if (read == liveCount)
            {
                // The buyer's live orders, straight off the index that leads with the buyer.
                Assert.Contains(plan, step => step.Contains("(BuyerId=? AND Status=? AND ExpiresAt>?)", StringComparison.Ordinal));
            }
        }
    }
}
