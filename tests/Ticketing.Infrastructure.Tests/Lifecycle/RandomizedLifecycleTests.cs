using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Orders.Rules;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;
using Ticketing.Domain.Tickets.Rules;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Testing;
using Xunit.Abstractions;

namespace Ticketing.Infrastructure.Tests.Lifecycle;

/// <summary>
/// A seeded run of reservations, payments, cancellations, price edits and expiries by several
/// users on a few tickets, in waves whose operations run at the same moment on real threads.
/// Whatever the interleaving, the marketplace's invariants hold at every check.
/// </summary>
public sealed class RandomizedLifecycleTests(ITestOutputHelper output)
{
    private const int Seed = 20261124;
    private const int Operations = 200;
    private const int CheckEvery = 50;
    private static readonly Dictionary<string, string?> OneSecondWindow = new() { ["Ordering:ReservationSeconds"] = "1" };

    [Fact]
    public async Task TwoHundredMixedOperations_SomeConcurrent_KeepEveryInvariant()
    {
        await using var app = new TicketingApp(settings: OneSecondWindow);
        var random = new Random(Seed);
        var sellers = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var buyers = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();
        var tickets = new List<Listing>();
        for (var i = 0; i < 4; i++)
        {
            var seller = sellers[i % sellers.Length];
            var title = $"Show {i}";
            tickets.Add(new Listing((await app.Services.ListTicketAsync(seller, RandomPrice(random), title)).Id, seller, title));
        }

        var world = new World(app.Services, random, tickets, sellers, buyers);
        var tally = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var performed = 0;
        while (performed < Operations)
        {
            var wave = Enumerable.Range(0, Math.Min(random.Next(1, 5), Operations - performed)).Select(_ => world.NextOperation()).ToList();
            var outcomes = await Race.RunAsync(wave.Select(op => op.Run).ToList());
            for (var i = 0; i < wave.Count; i++)
            {
                var result = Judge(wave[i], outcomes[i]);
                tally[result] = tally.GetValueOrDefault(result) + 1;
                switch (outcomes[i].Value)
                {
                    case OrderView order:
                        world.Orders.Add(new Placed(order.Id, order.UserId));
                        break;
                    case TicketView listed:
                        tickets.Add(new Listing(listed.Id, listed.UserId, listed.Title));
                        break;
                }
            }

            var before = performed;
            performed += wave.Count;
            if (performed / CheckEvery != before / CheckEvery)
            {
                await AssertInvariantsAsync(app, settled: false);
            }
        }

        // Every remaining reservation runs out on its own, and the dispatcher drains.
        await TicketingApp.WaitUntilAsync(
            async () =>
            {
                await using var db = app.CreateDbContext();
                return !await db.Orders.AnyAsync(o => o.Status == OrderStatus.Created || o.Status == OrderStatus.AwaitingPayment)
                    && !await db.OutboxMessages.AnyAsync(m => m.ProcessedAt == null);
            },
            TimeSpan.FromSeconds(20),
            "every order has expired or finished and the outbox is drained");
        await AssertInvariantsAsync(app, settled: true);

        foreach (var (result, count) in tally)
        {
            output.WriteLine($"{count,4}  {result}");
        }

        // The run exercised what it claims to.
        Assert.Contains(tally.Keys, k => k.StartsWith("reserve: ok", StringComparison.Ordinal));
        Assert.Contains(tally.Keys, k => k.StartsWith("reserve: BusinessRuleViolationException Ticket is already reserved", StringComparison.Ordinal));
        Assert.Contains(tally.Keys, k => k.StartsWith("pay: Completed", StringComparison.Ordinal));
        Assert.Contains(tally.Keys, k => k.StartsWith("pay: PaymentDeclinedException", StringComparison.Ordinal));
        Assert.Contains(tally.Keys, k => k.StartsWith("cancel: ok", StringComparison.Ordinal));
        Assert.Contains(tally.Keys, k => k.StartsWith("edit: ok", StringComparison.Ordinal));
        await using (var db = app.CreateDbContext())
        {
            Assert.True(await db.Orders.AnyAsync(o => o.CancellationReason == CancellationReason.Expired), "No order expired during the run.");
        }
    }

    /// <summary>Names the outcome; fails on anything but success or the operation's own domain errors.</summary>
    private static string Judge(Operation operation, Outcome<object?> outcome)
    {
        if (outcome.Succeeded)
        {
            return outcome.Value is PaymentResult payment ? $"{operation.Kind}: {payment.Outcome}" : $"{operation.Kind}: ok";
        }

        var error = outcome.Error!;
        var expected = (operation.Kind, error) switch
        {
            ("reserve", BusinessRuleViolationException { Rule: TicketMustBeAvailableRule }) => true,
            ("reserve", BusinessRuleViolationException { Rule: TicketMustNotChangeWhileReservingRule }) => true,
            ("pay", PaymentDeclinedException) => true,
            ("pay", BusinessRuleViolationException { Rule: OrderMustNotBeCancelledRule or OrderMustNotBeCompleteRule or OrderMustNotBeExpiredRule or PaymentMustNotBeInProgressRule }) => true,
            ("cancel", BusinessRuleViolationException { Rule: OrderMustNotBeCompleteRule or PaymentMustNotBeInProgressRule }) => true,
            ("edit", BusinessRuleViolationException { Rule: TicketMustNotBeLockedRule }) => true,
            ("edit", ConcurrencyConflictException) => true,
            _ => false,
        };
        Assert.True(expected, $"{operation.Description} failed unexpectedly: {error}");
        return $"{operation.Kind}: {error.GetType().Name} {error.Message}";
    }

    private static async Task AssertInvariantsAsync(TicketingApp app, bool settled)
    {
        await using var db = app.CreateDbContext();

        // One transaction: a consistent view while the dispatcher and the scheduler keep writing.
        await using var snapshot = await db.Database.BeginTransactionAsync();
        var tickets = await db.Tickets.AsNoTracking().ToListAsync();
        var orders = await db.Orders.AsNoTracking().ToListAsync();
        var payments = await db.Payments.AsNoTracking().ToListAsync();
        var messages = await db.OutboxMessages.AsNoTracking().ToListAsync();
        var deliveries = await db.OutboxDeliveries.AsNoTracking().ToListAsync();
        await snapshot.RollbackAsync();

        var broken = new List<string>();
        var ordersById = orders.ToDictionary(o => o.Id);
        foreach (var ticket in tickets)
        {
            var ofTicket = orders.Where(o => o.TicketId == ticket.Id).ToList();
            var live = ofTicket.Where(o => o.IsLive).ToList();
            var holding = ofTicket.Where(o => o.IsLiveOrComplete()).ToList();
            if (live.Count > 1)
            {
                broken.Add($"ticket {ticket.Id} has {live.Count} live orders");
            }

            switch (ticket.Status)
            {
                case TicketStatus.Available when holding.Count > 0 || ticket.OrderId is not null || ticket.ReservedUntil is not null:
                    broken.Add($"available ticket {ticket.Id} is held (orders {string.Join(", ", holding.Select(o => $"{o.Id} {o.Status}"))}, orderId {ticket.OrderId}, reservedUntil {ticket.ReservedUntil:O})");
                    break;
                case TicketStatus.Reserved or TicketStatus.Sold:
                    if (holding.Count != 1 || holding[0].Id != ticket.OrderId)
                    {
                        broken.Add($"{ticket.Status} ticket {ticket.Id} points at order {ticket.OrderId} but is held by [{string.Join(", ", holding.Select(o => $"{o.Id} {o.Status}"))}]");
                        break;
                    }

                    var holder = holding[0];
                    if (ticket.Status == TicketStatus.Reserved && (!holder.IsLive || ticket.ReservedUntil != holder.ExpiresAt))
                    {
                        broken.Add($"reserved ticket {ticket.Id} until {ticket.ReservedUntil:O} is held by order {holder.Id} {holder.Status} expiring {holder.ExpiresAt:O}");
                    }

                    if (ticket.Status == TicketStatus.Sold && holder.Status != OrderStatus.Complete)
                    {
                        broken.Add($"sold ticket {ticket.Id} is held by order {holder.Id} {holder.Status}");
                    }

                    if (holder.Price != ticket.Price)
                    {
                        broken.Add($"order {holder.Id} holds ticket {ticket.Id} at {holder.Price} while it is listed at {ticket.Price}");
                    }

                    break;
            }
        }

        foreach (var order in orders)
        {
            var paid = payments.Where(p => p.OrderId == order.Id).ToList();
            var succeeded = paid.Where(p => p.Status == PaymentStatus.Succeeded).ToList();
            if (order.Status == OrderStatus.Complete
                && !(succeeded.Count == 1 && succeeded[0].AmountMinor == Money.ToMinorUnits(order.Price)))
            {
                broken.Add($"complete order {order.Id} has payments [{string.Join(", ", paid.Select(p => $"{p.Status} {p.AmountMinor}"))}]");
            }

            if (order.CancellationReason == CancellationReason.Expired && order.UpdatedAt < order.ExpiresAt)
            {
                broken.Add($"order {order.Id} expired at {order.UpdatedAt:O}, before its window closed at {order.ExpiresAt:O}");
            }
        }

        foreach (var payment in payments)
        {
            var order = ordersById[payment.OrderId];
            if (payment.Status == PaymentStatus.Succeeded && order.Status != OrderStatus.Complete)
            {
                broken.Add($"payment {payment.Id} kept money for order {order.Id} {order.Status}");
            }

            if (payment.Status == PaymentStatus.Refunded && (order.Status == OrderStatus.Complete || payment.RefundReference is null))
            {
                broken.Add($"refunded payment {payment.Id} of order {order.Id} {order.Status}, refund {payment.RefundReference}");
            }
        }

        // The books: every charge is on record, and each one either paid for a completed order or went back.
        var charges = payments.Count;
        var refunds = payments.Count(p => p.Status is PaymentStatus.Refunded or PaymentStatus.Refunding);
        var completed = orders.Count(o => o.Status == OrderStatus.Complete);
        if (charges - refunds != completed)
        {
            broken.Add($"{charges} charges - {refunds} refunds != {completed} completed orders");
        }

        if (settled)
        {
            broken.AddRange(payments.Where(p => p.Status == PaymentStatus.Refunding).Select(p => $"payment {p.Id} of order {p.OrderId} is still owed back"));
        }

        // Every change raised exactly one event, carrying the version it produced.
        var versions = messages.Where(m => m.Type != "ExpirationComplete").ToLookup(m => m.AggregateId, m => m.AggregateVersion);
        foreach (var (id, version) in tickets.Select(t => (t.Id, t.Version)).Concat(orders.Select(o => (o.Id, o.Version))))
        {
            if (!versions[id].Order().SequenceEqual(Enumerable.Range(0, version + 1)))
            {
                broken.Add($"aggregate {id} at version {version} has events of versions [{string.Join(", ", versions[id].Order())}]");
            }
        }

        if (settled)
        {
            var handlers = HandlersByEventType(app);
            foreach (var message in messages)
            {
                var handled = deliveries.Where(d => d.MessageId == message.Id).Select(d => d.Handler).Order(StringComparer.Ordinal);
                var expected = handlers.TryGetValue(message.Type, out var names) ? names : [];
                if (message.ProcessedAt is null || !handled.SequenceEqual(expected))
                {
                    broken.Add($"message {message.Id} {message.Type} processed {message.ProcessedAt:O} by [{string.Join(", ", handled)}], expected [{string.Join(", ", expected)}]");
                }
            }

            broken.AddRange(orders.Where(o => o.IsLive).Select(o => $"order {o.Id} is still {o.Status} after its window"));
        }

        Assert.True(broken.Count == 0, $"{broken.Count} invariants broken{(settled ? " after settling" : string.Empty)}:\n{string.Join("\n", broken)}");
    }

    /// <summary>The handler names the dispatcher records per event type, from the app's own registrations.</summary>
    private static Dictionary<string, List<string>> HandlersByEventType(TicketingApp app)
    {
        using var scope = app.Services.CreateScope();
        return scope.ServiceProvider.GetServices<IEventHandler>()
            .GroupBy(h => h.EventType.Name)
            .ToDictionary(g => g.Key, g => g.Select(h => HandlerName(h.GetType())).Order(StringComparer.Ordinal).ToList());
    }

    private static string HandlerName(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(",", type.GetGenericArguments().Select(HandlerName))}>"
        : type.Name;

    private static decimal RandomPrice(Random random) => random.Next(500, 20_000) / 100m;

    private sealed record Listing(Guid Id, Guid Seller, string Title);

    private sealed record Placed(Guid Id, Guid Buyer);

    private sealed record Operation(string Kind, string Description, Func<Task<object?>> Run);

    /// <summary>Chooses the next operation from the seed alone, so that a run can be replayed.</summary>
    private sealed class World(IServiceProvider services, Random random, List<Listing> tickets, Guid[] sellers, Guid[] buyers)
    {
        public List<Placed> Orders { get; } = [];

        public Operation NextOperation()
        {
            var roll = random.NextDouble();
            if (Orders.Count > 0 && roll is >= 0.32 and < 0.57)
            {
                var order = RecentOrder();
                var token = random.NextDouble() < 0.6 ? "tok_visa" : "tok_chargeDeclined";
                return new Operation("pay", $"pay order {order.Id} with {token}", async () => await services.PayAsync(order.Buyer, order.Id, token));
            }

            if (Orders.Count > 0 && roll is >= 0.57 and < 0.69)
            {
                var order = RecentOrder();
                return new Operation("cancel", $"cancel order {order.Id}", () => Done(services.CancelAsync(order.Buyer, order.Id)));
            }

            if (roll is >= 0.69 and < 0.82)
            {
                var ticket = tickets[random.Next(tickets.Count)];
                var price = RandomPrice(random);
                return new Operation("edit", $"edit ticket {ticket.Id} to {price}", () => Done(services.EditPriceAsync(ticket.Seller, ticket.Id, ticket.Title, price)));
            }

            if (roll is >= 0.82 and < 0.95)
            {
                // New supply, so that the run does not end with every ticket sold.
                var seller = sellers[random.Next(sellers.Length)];
                var price = RandomPrice(random);
                return new Operation("list", $"list a ticket at {price}", async () => await services.ListTicketAsync(seller, price, "Late addition"));
            }

            if (roll >= 0.95)
            {
                // Time passes: reservations of the past waves run out meanwhile.
                var pause = TimeSpan.FromMilliseconds(random.Next(200, 1200));
                return new Operation("wait", $"wait {pause.TotalMilliseconds} ms", () => Done(Task.Delay(pause)));
            }

            var buyer = buyers[random.Next(buyers.Length)];
            var target = tickets[random.Next(tickets.Count)];
            return new Operation("reserve", $"reserve ticket {target.Id} for {buyer}", async () => await services.ReserveAsync(buyer, target.Id));
        }

        /// <summary>One of the last few orders: the ones still worth paying or cancelling.</summary>
        private Placed RecentOrder() => Orders[Math.Max(0, Orders.Count - 1 - random.Next(8))];

        private static async Task<object?> Done(Task task)
        {
            await task;
            return null;
        }
    }
}
