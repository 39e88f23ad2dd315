using Microsoft.EntityFrameworkCore;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Events;

/// <summary>
/// A crash between commit and dispatch loses nothing, and a restart does not run a handler twice
/// (docs/decisions/0001).
/// </summary>
public sealed class OutboxCrashRecoveryTests
{
    [Fact]
    public async Task EventsCommittedByAProcessThatDiedBeforeDispatch_AreDeliveredAfterRestart_OncePerHandler()
    {
        var path = TicketingApp.NewDatabasePath();
        try
        {
            var (ticket, order) = await CommitWithoutDispatchAsync(path);
            await using (var raw = TestDatabase.Open(path))
            {
                Assert.Equal(3, await raw.OutboxMessages.CountAsync(m => m.ProcessedAt == null));
                Assert.Empty(await raw.OutboxDeliveries.ToListAsync());
            }

            var recorder = new LivePushRecorder();
            await using var app = new TicketingApp(databasePath: path);
            var restarted = recorder.Attach(app);
            await restarted.Services.WaitForOutboxToSettleAsync();

            await using (var db = restarted.Services.OpenDb())
            {
                Assert.Equal(
                    [
                        "TicketCreated:TicketLivePush<TicketCreated>",
                        "OrderCreated:EmailOnOrderCreated",
                        "OrderCreated:OrderLivePush<OrderCreated>",
                        "OrderCreated:ScheduleExpirationOnOrderCreated",
                        "TicketLocked:TicketLivePush<TicketLocked>",
                    ],
                    await DeliveriesAsync(db, ticket.Id, order.Id));
            }

            Assert.Equal(["TicketCreated:0", "TicketLocked:1"], recorder.Tickets.Where(c => c.Ticket.Id == ticket.Id).Select(c => $"{c.Kind}:{c.Ticket.Version}"));
            Assert.Equal(["created"], recorder.Orders.Where(c => c.Order.Id == order.Id).Select(c => c.Order.Status));

            // A second restart finds nothing left to do for these events.
            var again = new LivePushRecorder();
            await using var thirdLife = new TicketingApp(databasePath: path);
            var restartedAgain = again.Attach(thirdLife);
            await restartedAgain.Services.WaitForOutboxToSettleAsync();
            await using (var db = restartedAgain.Services.OpenDb())
            {
                Assert.Equal(5, (await DeliveriesAsync(db, ticket.Id, order.Id)).Count);
            }

            Assert.DoesNotContain(again.Tickets, c => c.Ticket.Id == ticket.Id);
            Assert.DoesNotContain(again.Orders, c => c.Order.Id == order.Id);
        }
        finally
        {
            TicketingApp.DeleteDatabase(path);
        }
    }

    [Fact]
    public async Task MessageClaimedByAProcessThatDiedMidway_IsTakenOverWhenTheClaimLapses_AndOnlyItsUnfinishedHandlersRun()
    {
        var path = TicketingApp.NewDatabasePath();
        try
        {
            var (ticket, order) = await CommitWithoutDispatchAsync(path);

            // What the dead process left: TicketCreated fully dispatched; OrderCreated claimed, its
            // live push done and recorded, the expiry not scheduled yet; TicketLocked untouched.
            var claimLapsesAt = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2);
            var pushedBeforeTheCrash = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1);
            await using (var raw = TestDatabase.Open(path))
            {
                var created = await raw.OutboxMessages.SingleAsync(m => m.Type == "TicketCreated" && m.AggregateId == ticket.Id);
                created.ProcessedAt = pushedBeforeTheCrash;
                raw.OutboxDeliveries.Add(new OutboxDelivery { MessageId = created.Id, Handler = "TicketLivePush<TicketCreated>", HandledAt = pushedBeforeTheCrash });

                var orderCreated = await raw.OutboxMessages.SingleAsync(m => m.Type == "OrderCreated" && m.AggregateId == order.Id);
                orderCreated.LockedBy = "dead-host:1:0";
                orderCreated.LockedUntil = claimLapsesAt;
                raw.OutboxDeliveries.Add(new OutboxDelivery { MessageId = orderCreated.Id, Handler = "OrderLivePush<OrderCreated>", HandledAt = pushedBeforeTheCrash });
                await raw.SaveChangesAsync();
            }

            var recorder = new LivePushRecorder();
            await using var app = new TicketingApp(databasePath: path);
            var restarted = recorder.Attach(app);
            await restarted.Services.WaitForOutboxToSettleAsync();

            await using var db = restarted.Services.OpenDb();
            Assert.Equal(
                [
                    "TicketCreated:TicketLivePush<TicketCreated>",
                    "OrderCreated:EmailOnOrderCreated",
                    "OrderCreated:OrderLivePush<OrderCreated>",
                    "OrderCreated:ScheduleExpirationOnOrderCreated",
                    "TicketLocked:TicketLivePush<TicketLocked>",
                ],
                await DeliveriesAsync(db, ticket.Id, order.Id));
            var orderCreatedDeliveries = await db.OutboxDeliveries.AsNoTracking()
                .Where(d => db.OutboxMessages.Any(m => m.Id == d.MessageId && m.Type == "OrderCreated" && m.AggregateId == order.Id))
                .ToDictionaryAsync(d => d.Handler, d => d.HandledAt);
            Assert.Equal(pushedBeforeTheCrash, orderCreatedDeliveries["OrderLivePush<OrderCreated>"]);
            Assert.True(orderCreatedDeliveries["ScheduleExpirationOnOrderCreated"] >= claimLapsesAt, "Another instance's live claim was not respected.");

            Assert.Equal(["TicketLocked:1"], recorder.Tickets.Where(c => c.Ticket.Id == ticket.Id).Select(c => $"{c.Kind}:{c.Ticket.Version}"));
            Assert.DoesNotContain(recorder.Orders, c => c.Order.Id == order.Id);
        }
        finally
        {
            TicketingApp.DeleteDatabase(path);
        }
    }

    /// <summary>Lists and reserves a ticket in a process that commits and never dispatches.</summary>
    private static async Task<(TicketView Ticket, OrderView Order)> CommitWithoutDispatchAsync(string path)
    {
        using var dormant = DormantProcess.On(path);
        await using (var db = dormant.Services.OpenDb())
        {
            await db.Database.MigrateAsync();
        }

        var ticket = await dormant.Services.ListTicketAsync(Guid.NewGuid());
        var order = await dormant.Services.ReserveAsync(Guid.NewGuid(), ticket.Id);
        return (ticket, order);
    }

    /// <summary>"Type:Handler" of every delivery of the ticket's and the order's messages, by message then handler.</summary>
    private static async Task<List<string>> DeliveriesAsync(TicketingDbContext db, Guid ticketId, Guid orderId)
    {
        var rows = await db.OutboxDeliveries.AsNoTracking()
            .Join(db.OutboxMessages.AsNoTracking(), d => d.MessageId, m => m.Id, (d, m) => new { m.Id, m.Type, m.AggregateId, m.ProcessedAt, d.Handler })
            .Where(x => x.AggregateId == ticketId || x.AggregateId == orderId)
            .ToListAsync();
        Assert.All(rows, r => Assert.NotNull(r.ProcessedAt));
        return rows.OrderBy(r => r.Id).ThenBy(r => r.Handler, StringComparer.Ordinal).Select(r => $"{r.Type}:{r.Handler}").ToList();
    }
}
