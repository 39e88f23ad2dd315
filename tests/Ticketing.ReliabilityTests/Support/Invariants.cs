using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Testing;

namespace Ticketing.ReliabilityTests.Support;

/// <summary>The marketplace's invariants, read straight from a SQLite file.</summary>
public static class Invariants
{
    public static SqliteTicketingDbContext Open(string databasePath) =>
        new(new DbContextOptionsBuilder<SqliteTicketingDbContext>()
            .UseSqlite(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString())
            .Options);

    /// <summary>
    /// True once the load has stopped and nothing is left for expiry or the outbox: every order is
    /// paid, cancelled or expired, every message processed. (Waiting only for the orders already
    /// past their window would let one placed in the last seconds of load close its window between
    /// this check and the invariants read.)
    /// </summary>
    public static async Task<bool> IsSettledAsync(string databasePath)
    {
        await using var db = Open(databasePath);
        if (await db.Orders.AnyAsync(o => o.Status == OrderStatus.Created || o.Status == OrderStatus.AwaitingPayment))
        {
            return false;
        }

        return !await db.OutboxMessages.AnyAsync(m => m.ProcessedAt == null);
    }

    /// <summary>Every broken invariant, one line each; empty when all hold.</summary>
    /// <param name="stripe">The provider's books, when the app ran on the Stripe stub: compared one for one with the payments table.</param>
    public static async Task<List<string>> BrokenAsync(string databasePath, bool settled, StripeStub? stripe = null)
    {
        await using var db = Open(databasePath);
        await using var snapshot = await db.Database.BeginTransactionAsync();
        var tickets = await db.Tickets.AsNoTracking().ToListAsync();
        var orders = await db.Orders.AsNoTracking().ToListAsync();
        var payments = await db.Payments.AsNoTracking().ToListAsync();
        var messages = await db.OutboxMessages.AsNoTracking().ToListAsync();
        await snapshot.RollbackAsync();

        var broken = new List<string>();
        var now = DateTimeOffset.UtcNow;
        var ordersById = orders.ToDictionary(o => o.Id);
        foreach (var ticket in tickets)
        {
            var ofTicket = orders.Where(o => o.TicketId == ticket.Id).ToList();
            var live = ofTicket.Where(o => o.IsLive).ToList();
            var holding = ofTicket.Where(o => o.IsLive || o.Status == OrderStatus.Complete).ToList();
            if (live.Count > 1)
            {
                broken.Add($"ticket {ticket.Id} has {live.Count} live orders");
            }

            if (ofTicket.Count(o => o.Status == OrderStatus.Complete) > 1)
            {
                broken.Add($"ticket {ticket.Id} was sold {ofTicket.Count(o => o.Status == OrderStatus.Complete)} times");
            }

            switch (ticket.Status)
            {
                case TicketStatus.Available when settled && (holding.Count > 0 || ticket.OrderId is not null):
                    broken.Add($"available ticket {ticket.Id} is held by [{string.Join(", ", holding.Select(o => $"{o.Id} {o.Status}"))}], orderId {ticket.OrderId}");
                    break;
                case TicketStatus.Reserved or TicketStatus.Sold:
                    if (holding.Count != 1 || holding[0].Id != ticket.OrderId)
                    {
                        broken.Add($"{ticket.Status} ticket {ticket.Id} points at order {ticket.OrderId} but is held by [{string.Join(", ", holding.Select(o => $"{o.Id} {o.Status}"))}]");
                    }
                    else if (ticket.Status == TicketStatus.Sold && holding[0].Status != OrderStatus.Complete)
                    {
                        broken.Add($"sold ticket {ticket.Id} is held by order {holding[0].Id} {holding[0].Status}");
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

            if (settled && order.IsLive && order.ExpiresAt <= now)
            {
                broken.Add($"order {order.Id} is still {order.Status} after its window closed at {order.ExpiresAt:O}");
            }
        }

        foreach (var payment in payments)
        {
            if (!ordersById.TryGetValue(payment.OrderId, out var order))
            {
                broken.Add($"payment {payment.Id} is for no order ({payment.OrderId})");
            }
            else if (payment.Status == PaymentStatus.Succeeded && order.Status != OrderStatus.Complete)
            {
                broken.Add($"payment {payment.Id} kept money for order {order.Id} {order.Status}");
            }
        }

        // The books: every charge is on record, and each one either paid for a completed order or
        // went back: charges - refunds = completed orders. Once settled, no refund is still owed.
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
            broken.AddRange(orders.Where(o => o.IsCharging).Select(o => $"order {o.Id} still has a charge in flight"));
        }

        if (stripe is not null)
        {
            broken.AddRange(BooksDiffer(stripe, payments, completed));
        }

        // Every committed change raised exactly one event with the version it produced: no event
        // lost to the crash, none written twice on replay.
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
            broken.AddRange(messages.Where(m => m.ProcessedAt is null).Select(m => $"outbox message {m.Id} {m.Type} is unprocessed"));
        }

        return broken;
    }

    /// <summary>Stripe took money exactly for the charges recorded here, and gave back exactly the refunds recorded here.</summary>
    private static IEnumerable<string> BooksDiffer(StripeStub stripe, List<Payment> payments, int completed)
    {
        var charged = stripe.Charges.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var recorded = payments.Select(p => p.ProviderReference).ToHashSet(StringComparer.Ordinal);
        foreach (var missing in charged.Except(recorded))
        {
            yield return $"Stripe charged {missing}, which no payment records";
        }

        foreach (var unknown in recorded.Except(charged))
        {
            yield return $"payment {unknown} is recorded but Stripe took no money for it";
        }

        var refunded = stripe.Refunds.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var recordedRefunds = payments.Where(p => p.RefundReference is not null).Select(p => p.RefundReference!).ToHashSet(StringComparer.Ordinal);
        if (!refunded.SetEquals(recordedRefunds))
        {
            yield return $"Stripe refunded [{string.Join(", ", refunded.Order())}] but the payments record [{string.Join(", ", recordedRefunds.Order())}]";
        }

        if (charged.Count - refunded.Count != completed)
        {
            yield return $"Stripe: {charged.Count} charges - {refunded.Count} refunds != {completed} completed orders";
        }
    }

    public static async Task<(int Tickets, int Orders, int Complete, int Payments, int Messages)> CountsAsync(string databasePath)
    {
        await using var db = Open(databasePath);
        return (await db.Tickets.CountAsync(), await db.Orders.CountAsync(), await db.Orders.CountAsync(o => o.Status == OrderStatus.Complete),
            await db.Payments.CountAsync(), await db.OutboxMessages.CountAsync());
    }
}
