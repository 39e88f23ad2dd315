using System.Data.Common;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Orders.Rules;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Concurrency;

/// <summary>One buyer reserving many different tickets at once never holds more than the limit.</summary>
public sealed class BuyerLiveOrderLimitTests
{
    private const int Limit = 5;

    [Fact]
    public async Task SixthReservation_OfOneBuyer_IsRefusedWithTheLimitAndChangesNothing()
    {
        await using var app = new TicketingApp();
        var (buyer, tickets) = await BuyerAtTheLimitAsync(app.Services);

        var refused = await Assert.ThrowsAsync<BusinessRuleViolationException>(() => app.Services.ReserveAsync(buyer, tickets[Limit]));

        Assert.IsType<BuyerMustStayWithinLiveOrderLimitRule>(refused.Rule);
        Assert.Equal(
            "You already hold 5 live reservations, the most one buyer may hold at once; pay for or cancel one before reserving another",
            refused.Message);
        var sixth = await app.Services.ReadTicketAsync(tickets[Limit]);
        Assert.Equal(TicketStatus.Available, sixth.Status);
        Assert.Equal(0, sixth.Version);
        Assert.Equal(Limit, await LiveOrdersAsync(app.Services, buyer));
    }

    [Fact]
    public async Task CancellingOrPayingOne_MakesRoomForTheNext_AndOtherBuyersAreUnaffected()
    {
        await using var app = new TicketingApp();
        var buyer = Guid.NewGuid();
        var tickets = await app.Services.ListTicketsAsync(Limit + 3);
        var orders = new List<Guid>();
        for (var i = 0; i < Limit; i++)
        {
            orders.Add((await app.Services.ReserveAsync(buyer, tickets[i])).Id);
        }

        await app.Services.ReserveAsync(Guid.NewGuid(), tickets[Limit + 2]);
        await app.Services.CancelAsync(buyer, orders[0]);
        await app.Services.ReserveAsync(buyer, tickets[Limit]);
        await app.Services.PayAsync(buyer, orders[1], "tok_visa");
        await app.Services.ReserveAsync(buyer, tickets[Limit + 1]);

        Assert.Equal(Limit, await LiveOrdersAsync(app.Services, buyer));
    }

    [Fact]
    public async Task ReservationsPastTheirWindow_DoNotCount_EvenBeforeTheExpiryJobRuns()
    {
        var path = TicketingApp.NewDatabasePath();
        try
        {
            // No scheduler runs in a dormant process: the five orders stay "created" past their window.
            using var dormant = DormantProcess.On(path, s => s.Configure<OrderingOptions>(o => o.ReservationSeconds = 1));
            await using (var db = dormant.Services.OpenDb())
            {
                await db.Database.MigrateAsync();
            }

            var buyer = Guid.NewGuid();
            var tickets = await dormant.Services.ListTicketsAsync(Limit + 1);
            for (var i = 0; i < Limit; i++)
            {
                await dormant.Services.ReserveAsync(buyer, tickets[i]);
            }

            await Task.Delay(TimeSpan.FromSeconds(1.2));
            var order = await dormant.Services.ReserveAsync(buyer, tickets[Limit]);

            Assert.Equal(Limit + 1, await LiveOrdersAsync(dormant.Services, buyer));
            Assert.Equal(OrderStatus.Created, (await dormant.Services.ReadOrderAsync(order.Id)).Status);
        }
        finally
        {
            TicketingApp.DeleteDatabase(path);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ThirtyReservations_ThatAllReadTheirTicketBeforeAnyCommitted_StillLeaveOnlyFive(bool reservedBefore)
    {
        var reads = new TicketReadCounter();
        await using var app = new TicketingApp();
        var services = reads.Attach(app).Services;
        var buyer = Guid.NewGuid();
        var tickets = await services.ListTicketsAsync(31);

        // A buyer who has reserved before (their gate row exists) and holds nothing now; or a new
        // buyer, each of whose thirty reservations claims the gate row none of them has seen.
        if (reservedBefore)
        {
            await services.CancelAsync(buyer, (await services.ReserveAsync(buyer, tickets[^1])).Id);
        }

        tickets.RemoveAt(tickets.Count - 1);

        Task<Outcome<OrderView>[]> race;
        using (SqliteWriteLock.Take(app.DatabasePath))
        {
            race = Race.RunAsync(tickets.Select(t => (Func<Task<OrderView>>)(() => services.ReserveAsync(buyer, t))).ToList());

            // Every racer has found its ticket free and waits for the write lock, most of them in the
            // group commit's queue: the live orders are counted under the lock, each reservation
            // counting those written before it in the same transaction.
            foreach (var ticket in tickets)
            {
                await reads.WaitForRacersAsync(ticket, 1);
            }

            Assert.False(race.IsCompleted, "A racer finished while the database was locked for writing.");
        }

        await AssertLimitHeldAsync(services, buyer, tickets, await race);
    }

    [Fact]
    public async Task ABuyerWithLiveOrdersButNoGateRow_IsCountedBeforeTheirGateIsMade()
    {
        await using var app = new TicketingApp();
        var (buyer, tickets) = await BuyerAtTheLimitAsync(app.Services);

        // An account whose orders were placed before the gates existed: live orders, no gate row.
        await using (var db = app.Services.OpenDb())
        {
            await db.Set<BuyerReservationGate>().Where(g => g.BuyerId == buyer).ExecuteDeleteAsync();
        }

        var refused = await Assert.ThrowsAsync<BusinessRuleViolationException>(() => app.Services.ReserveAsync(buyer, tickets[Limit]));

        Assert.IsType<BuyerMustStayWithinLiveOrderLimitRule>(refused.Rule);
        Assert.Equal(TicketStatus.Available, (await app.Services.ReadTicketAsync(tickets[Limit])).Status);
        Assert.Equal(Limit, await LiveOrdersAsync(app.Services, buyer));
        await using var after = app.Services.OpenDb();
        Assert.False(await after.Set<BuyerReservationGate>().AnyAsync(g => g.BuyerId == buyer));
    }

    [Fact]
    public async Task TwoHundredParallelReservations_OfOneBuyer_LeaveExactlyFiveLive()
    {
        await using var app = new TicketingApp();
        var buyer = Guid.NewGuid();
        var tickets = await app.Services.ListTicketsAsync(200);

        var outcomes = await Race.RunAsync(tickets.Select(t => (Func<Task<OrderView>>)(() => app.Services.ReserveAsync(buyer, t))).ToList());

        await AssertLimitHeldAsync(app.Services, buyer, tickets, outcomes);
    }

    /// <summary>A buyer holding the limit's live orders, on the first of these tickets, and one ticket more, still free.</summary>
    private static async Task<(Guid Buyer, List<Guid> Tickets)> BuyerAtTheLimitAsync(IServiceProvider services)
    {
        var buyer = Guid.NewGuid();
        var tickets = await services.ListTicketsAsync(Limit + 1);
        for (var i = 0; i < Limit; i++)
        {
            await services.ReserveAsync(buyer, tickets[i]);
        }

        return (buyer, tickets);
    }

    private static async Task AssertLimitHeldAsync(IServiceProvider services, Guid buyer, List<Guid> tickets, Outcome<OrderView>[] outcomes)
    {
        Assert.Equal(Limit, outcomes.Count(o => o.Succeeded));
        Assert.All(outcomes.Where(o => !o.Succeeded), o =>
        {
            var violation = Assert.IsType<BusinessRuleViolationException>(o.Error);
            Assert.IsType<BuyerMustStayWithinLiveOrderLimitRule>(violation.Rule);
        });

        Assert.Equal(Limit, await LiveOrdersAsync(services, buyer));
        await using var db = services.OpenDb();
        var reserved = await db.Tickets.AsNoTracking().Where(t => tickets.Contains(t.Id) && t.Status == TicketStatus.Reserved).CountAsync();
        Assert.Equal(Limit, reserved);

        // The refused reservations left no order and no event behind.
        Assert.Equal(Limit, await db.Orders.AsNoTracking().CountAsync(o => o.BuyerId == buyer && tickets.Contains(o.TicketId)));
        var orders = await db.Orders.AsNoTracking().CountAsync();
        Assert.Equal(orders, await db.OutboxMessages.AsNoTracking().CountAsync(m => m.Type == nameof(OrderCreated)));
    }

    private static async Task<int> LiveOrdersAsync(IServiceProvider services, Guid buyer)
    {
        await using var db = services.OpenDb();
        return await db.Orders.AsNoTracking().CountAsync(o => o.BuyerId == buyer && (o.Status == OrderStatus.Created || o.Status == OrderStatus.AwaitingPayment));
    }
}
