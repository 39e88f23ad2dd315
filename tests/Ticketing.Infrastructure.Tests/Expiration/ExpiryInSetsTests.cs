using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Ticketing.Domain.Expiration;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Audit;
using Ticketing.Infrastructure.Expiration;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;
using Xunit.Abstractions;

namespace Ticketing.Infrastructure.Tests.Expiration;

/// <summary>
/// Expiries that come due together commit together: one transaction raises the set's expiries,
/// cancels the orders and unlocks their tickets (docs/decisions/0008). A lost race costs only the
/// order that lost it.
/// </summary>
public sealed class ExpiryInSetsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ThreeHundredReservationsOverdueAtRestart_AreExpiredInAFewCommits_WithOneCancellationAndOneUnlockEach()
    {
        const int count = 300;
        var path = TicketingApp.NewDatabasePath();
        try
        {
            var seeded = await OverdueReservations.SeedAsync(path, count);
            var saves = new ExpirySaves();
            await using var app = new TicketingApp(databasePath: path);
            var services = saves.Attach(app).Services;

            await TicketingApp.WaitUntilAsync(
                async () =>
                {
                    await using var db = services.OpenDb();
                    return !await db.Orders.AnyAsync(o => o.Status != OrderStatus.Cancelled)
                        && !await db.Tickets.AnyAsync(t => t.Status != TicketStatus.Available)
                        && saves.NoSetWriting;
                },
                TimeSpan.FromSeconds(30),
                "every overdue order is cancelled and every ticket unlocked");
            await services.WaitForOutboxToSettleAsync(TimeSpan.FromSeconds(60));
            await using var check = services.OpenDb();
            var expiries = await check.OutboxMessages.CountAsync(m => m.Type == nameof(ExpirationComplete));
            output.WriteLine($"{expiries} expiries in {saves.Commits} commits ({saves.Conflicts} conflicts)");

            Assert.Equal(count, expiries);
            Assert.InRange(saves.Commits, 1, count / 10);

            var orders = await check.Orders.AsNoTracking().ToListAsync();
            Assert.All(orders, o => Assert.Equal((OrderStatus.Cancelled, (CancellationReason?)CancellationReason.Expired, 1), (o.Status, o.CancellationReason, o.Version)));
            var tickets = await check.Tickets.AsNoTracking().ToListAsync();
            Assert.All(tickets, t => Assert.Equal((TicketStatus.Available, (Guid?)null, 2), (t.Status, t.OrderId, t.Version)));

            var messages = await check.OutboxMessages.AsNoTracking()
                .GroupBy(m => new { m.AggregateId, m.Type })
                .Select(g => new { g.Key.AggregateId, g.Key.Type, Count = g.Count() })
                .ToListAsync();
            foreach (var (ticketId, orderId) in seeded)
            {
                Assert.Equal(1, messages.SingleOrDefault(m => m.AggregateId == orderId && m.Type == nameof(OrderCancelled))?.Count);
                Assert.Equal(1, messages.SingleOrDefault(m => m.AggregateId == ticketId && m.Type == nameof(TicketUnlocked))?.Count);
            }

            // The audit trail has each expiry, by the expiry, naming the listing's seller.
            var steps = await check.Set<AuditEntry>().AsNoTracking().Where(a => a.Step == AuditStep.Expired).ToListAsync();
            Assert.Equal(count, steps.Count);
            var sellers = tickets.ToDictionary(t => t.Id, t => t.SellerId);
            Assert.All(steps, a => Assert.Equal((AuditActor.Expiry, (Guid?)null, (Guid?)sellers[a.TicketId!.Value]), (a.Actor, a.ActorUserId, a.SellerId)));
            Assert.Equal(seeded.Select(s => s.OrderId).Order(), steps.Select(a => a.OrderId!.Value).Order());
        }
        finally
        {
            TicketingApp.DeleteDatabase(path);
        }
    }

    [Fact]
    public async Task ThousandsOverdueAtRestart_GoInSetsOfUpToTwoThousand_AndOnlyLiveOverdueOrdersExpire()
    {
        const int overdue = 2_500;
        const int each = 20;
        var path = TicketingApp.NewDatabasePath();
        try
        {
            var seeded = await OverdueReservations.SeedAsync(path, overdue);
            var others = await SeedOrdersInEveryStateAsync(path, each);
            var saves = new ExpirySaves();
            await using var app = new TicketingApp(databasePath: path);
            var services = saves.Attach(app).Services;

            // Created and awaiting a provider's confirmation both expire; a charge in flight decides its order itself.
            var expiring = overdue + each;
            await TicketingApp.WaitUntilAsync(
                async () =>
                {
                    await using var db = services.OpenDb();
                    return await db.Orders.CountAsync(o => o.CancellationReason == CancellationReason.Expired) == expiring
                        && await db.OutboxMessages.CountAsync(m => m.Type == nameof(ExpirationComplete)) == expiring + each
                        && saves.NoSetWriting;
                },
                TimeSpan.FromSeconds(60),
                "every live overdue order has had its expiry");
            output.WriteLine($"{expiring} expired in {saves.Commits} commits ({saves.Conflicts} conflicts)");

            // 2,540 live overdue orders: two sets (with sets of 500 it took six).
            Assert.InRange(saves.Commits, 2, 3);
            await using var check = services.OpenDb();
            var orders = await check.Orders.AsNoTracking().ToDictionaryAsync(o => o.Id);
            var tickets = await check.Tickets.AsNoTracking().ToDictionaryAsync(t => t.Id);
            var expiries = (await check.OutboxMessages.AsNoTracking().Where(m => m.Type == nameof(ExpirationComplete)).Select(m => m.AggregateId).ToListAsync()).ToHashSet();
            var cancellations = (await check.OutboxMessages.AsNoTracking().Where(m => m.Type == nameof(OrderCancelled)).Select(m => m.AggregateId).ToListAsync()).ToHashSet();
            foreach (var (ticketId, orderId) in seeded.Concat(others["awaiting confirmation"]))
            {
                Assert.Equal((OrderStatus.Cancelled, (CancellationReason?)CancellationReason.Expired), (orders[orderId].Status, orders[orderId].CancellationReason));
                Assert.Equal((TicketStatus.Available, (Guid?)null), (tickets[ticketId].Status, tickets[ticketId].OrderId));
                Assert.Contains(orderId, cancellations);
            }

            foreach (var (ticketId, orderId) in others["charging"])
            {
                Assert.Equal((OrderStatus.AwaitingPayment, PaymentAttemptState.Charging), (orders[orderId].Status, orders[orderId].PaymentAttempt));
                Assert.Equal((TicketStatus.Reserved, (Guid?)orderId), (tickets[ticketId].Status, tickets[ticketId].OrderId));
                Assert.Contains(orderId, expiries);
                Assert.DoesNotContain(orderId, cancellations);
            }

            var untouched = new (string State, OrderStatus Order, TicketStatus Ticket)[]
            {
                ("window open", OrderStatus.Created, TicketStatus.Reserved),
                ("complete", OrderStatus.Complete, TicketStatus.Sold),
                ("cancelled by buyer", OrderStatus.Cancelled, TicketStatus.Available),
            };
            foreach (var (state, orderStatus, ticketStatus) in untouched)
            {
                foreach (var (ticketId, orderId) in others[state])
                {
                    Assert.Equal((state, orderStatus, ticketStatus), (state, orders[orderId].Status, tickets[ticketId].Status));
                    Assert.NotEqual(CancellationReason.Expired, orders[orderId].CancellationReason);
                    Assert.DoesNotContain(orderId, expiries);
                    Assert.DoesNotContain(orderId, cancellations);
                }
            }
        }
        finally
        {
            TicketingApp.DeleteDatabase(path);
        }
    }

    [Fact]
    public async Task BuyerCancelling_AfterASetWasReadAheadWhileTheSetBeforeItCommitted_StaysTheBuyersCancellation()
    {
        const int overdue = 4_100;
        var path = TicketingApp.NewDatabasePath();
        try
        {
            var seeded = await OverdueReservations.SeedAsync(path, overdue);
            var saves = new ExpirySaves();
            Guid? cancelledByBuyer = null;
            await using var app = new TicketingApp(databasePath: path);
            var attached = saves.Attach(app);

            // The second set is read while the first writes (the queue holds more than two sets); its
            // buyer cancels one of its orders before it writes.
            saves.HoldFirstWriteUntilNextRead(TimeSpan.FromSeconds(10));
            saves.BeforeWriteOfSet(2, async ids =>
            {
                var orderId = ids[ids.Count / 2];
                await using (var db = attached.Services.OpenDb())
                {
                    var buyer = await db.Orders.Where(o => o.Id == orderId).Select(o => o.BuyerId).SingleAsync();
                    await attached.Services.CancelAsync(buyer, orderId);
                }

                cancelledByBuyer = orderId;
            });
            var services = attached.Services;

            await TicketingApp.WaitUntilAsync(
                async () =>
                {
                    await using var db = services.OpenDb();
                    return !await db.Orders.AnyAsync(o => o.Status != OrderStatus.Cancelled)
                        && !await db.Tickets.AnyAsync(t => t.Status != TicketStatus.Available);
                },
                TimeSpan.FromSeconds(60),
                "every order is cancelled and every ticket unlocked");
            output.WriteLine($"{overdue} orders in {saves.Commits} commits, {saves.Conflicts} conflicts, {saves.ReadsDuringWrites} sets read while another wrote");

            Assert.NotNull(cancelledByBuyer);
            Assert.True(saves.ReadsDuringWrites >= 1, "No set was read while another was being written.");
            Assert.True(saves.Conflicts >= 1, "The cancellation did not race the set that had read its order.");
            await using var check = services.OpenDb();
            var orders = await check.Orders.AsNoTracking().ToDictionaryAsync(o => o.Id);
            Assert.Equal(CancellationReason.User, orders[cancelledByBuyer.Value].CancellationReason);
            Assert.Equal(overdue - 1, orders.Values.Count(o => o.CancellationReason == CancellationReason.Expired));
            var cancellations = await check.OutboxMessages.AsNoTracking()
                .Where(m => m.Type == nameof(OrderCancelled))
                .GroupBy(m => m.AggregateId)
                .Select(g => g.Count())
                .ToListAsync();
            Assert.Equal(overdue, cancellations.Count);
            Assert.All(cancellations, count => Assert.Equal(1, count));
            var unlocks = await check.OutboxMessages.AsNoTracking()
                .Where(m => m.Type == nameof(TicketUnlocked))
                .GroupBy(m => m.AggregateId)
                .Select(g => g.Count())
                .ToListAsync();
            Assert.Equal(seeded.Count, unlocks.Count);
            Assert.All(unlocks, count => Assert.Equal(1, count));
        }
        finally
        {
            TicketingApp.DeleteDatabase(path);
        }
    }

    [Fact]
    public async Task PaymentCommittedWhileASetIsExpiring_KeepsItsOrderComplete_AndTheRestOfTheSetStillExpires()
    {
        var saves = new ExpirySaves();
        await using var app = new TicketingApp();
        var services = saves.Attach(app).Services;
        var reserved = new List<(Guid Buyer, Guid TicketId, Guid OrderId)>();
        for (var i = 0; i < 20; i++)
        {
            var buyer = Guid.NewGuid();
            var ticket = await services.ListTicketAsync(Guid.NewGuid(), title: $"Show {i}");
            reserved.Add((buyer, ticket.Id, (await services.ReserveAsync(buyer, ticket.Id)).Id));
        }

        await services.WaitForOutboxToSettleAsync();

        // The payment commits after the set has read its orders and before it writes.
        var paidOrderId = reserved[7].OrderId;
        var paid = false;
        saves.BeforeFirstWrite(async () =>
        {
            Assert.Equal(PaymentOutcome.Completed, (await services.PayAsync(reserved[7].Buyer, paidOrderId, "tok_visa")).Outcome);
            paid = true;
        });
        await services.GetRequiredService<ExpirationCoalescer>().ExpireAsync(reserved.Select(r => new DueExpiry(r.OrderId, 0)), CancellationToken.None);

        Assert.True(paid, "The payment did not run between the set's read and its writes.");
        Assert.True(saves.Conflicts >= 1, "The payment did not race the expiry set.");
        foreach (var (_, ticketId, orderId) in reserved)
        {
            var order = await services.ReadOrderAsync(orderId);
            var ticket = await services.ReadTicketAsync(ticketId);
            if (orderId == paidOrderId)
            {
                Assert.Equal((OrderStatus.Complete, (CancellationReason?)null), (order.Status, order.CancellationReason));
                Assert.Equal((TicketStatus.Sold, (Guid?)orderId), (ticket.Status, ticket.OrderId));
            }
            else
            {
                Assert.Equal((OrderStatus.Cancelled, (CancellationReason?)CancellationReason.Expired), (order.Status, order.CancellationReason));
                Assert.Equal((TicketStatus.Available, (Guid?)null), (ticket.Status, ticket.OrderId));
            }
        }

        await using var check = services.OpenDb();
        Assert.Equal(reserved.Count - 1, await check.OutboxMessages.CountAsync(m => m.Type == nameof(OrderCancelled)));
        Assert.DoesNotContain(await services.ReadOutboxAsync(paidOrderId), m => m.Type == nameof(OrderCancelled));
    }

    [Fact]
    public async Task JobFiringForAnOrderAlreadyComplete_ChangesNothing()
    {
        var saves = new ExpirySaves();
        await using var app = new TicketingApp();
        var services = saves.Attach(app).Services;
        var buyer = Guid.NewGuid();
        var ticket = await services.ListTicketAsync(Guid.NewGuid());
        var order = await services.ReserveAsync(buyer, ticket.Id);
        Assert.Equal(PaymentOutcome.Completed, (await services.PayAsync(buyer, order.Id, "tok_visa")).Outcome);
        await services.WaitForOutboxToSettleAsync();
        var messagesBefore = (await services.ReadOutboxAsync(order.Id)).Count + (await services.ReadOutboxAsync(ticket.Id)).Count;

        // A trigger that outlived the payment (its removal is an after-commit step) fires now.
        await services.GetRequiredService<ExpirationScheduler>().ScheduleAsync(order.Id, 0, DateTimeOffset.UtcNow, CancellationToken.None);
        var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await TicketingApp.WaitUntilAsync(
            async () => !await scheduler.CheckExists(new JobKey(order.Id.ToString(), ExpirationScheduler.Group)),
            TimeSpan.FromSeconds(30),
            "the expiry job has run");

        // Queued behind the job's own request, so it returns once that one has been handled too.
        await services.GetRequiredService<ExpirationCoalescer>().ExpireAsync([new DueExpiry(order.Id, 0)], CancellationToken.None);

        Assert.Equal((0, 0), (saves.Commits, saves.Conflicts));
        var paid = await services.ReadOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Complete, 2), (paid.Status, paid.Version));
        Assert.Equal((TicketStatus.Sold, 2), ((await services.ReadTicketAsync(ticket.Id)).Status, (await services.ReadTicketAsync(ticket.Id)).Version));
        Assert.Equal(messagesBefore, (await services.ReadOutboxAsync(order.Id)).Count + (await services.ReadOutboxAsync(ticket.Id)).Count);
    }

    /// <summary>
    /// Beside the overdue reservations, orders that a restart must not expire, or must expire although
    /// a payment touched them, as the aggregates leave them: <paramref name="each"/> per state.
    /// </summary>
    private static async Task<Dictionary<string, List<(Guid TicketId, Guid OrderId)>>> SeedOrdersInEveryStateAsync(string path, int each)
    {
        await using var db = TestDatabase.Open(path);
        var window = TimeSpan.FromMinutes(15);
        var now = DateTimeOffset.UtcNow;
        var seeded = new Dictionary<string, List<(Guid, Guid)>>();
        foreach (var state in new[] { "window open", "charging", "awaiting confirmation", "complete", "cancelled by buyer" })
        {
            seeded[state] = [];
            var placedAt = state == "window open" ? now : now - window - TimeSpan.FromMinutes(1);
            for (var i = 0; i < each; i++)
            {
                var (order, ticket) = OrdersInState.Reserve($"{state} {i}", Guid.NewGuid(), placedAt, window);
                OrdersInState.Bring(order, ticket, state, placedAt);
                ticket.ClearDomainEvents();
                order.ClearDomainEvents();
                db.Tickets.Add(ticket);
                db.Orders.Add(order);
                seeded[state].Add((ticket.Id, order.Id));
            }
        }

        ConcurrencyToken.RenewForChangedRows(db);
        await db.SaveChangesAsync();
        return seeded;
    }
}
