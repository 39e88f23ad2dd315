using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Testing;

/// <summary>A seeded listing as saved, and its order if it has one.</summary>
public sealed record SeededListing(Ticket Ticket, Order? Order);

/// <summary>How a seeded order ends up.</summary>
public enum SeededOutcome
{
    /// <summary>Still holding its ticket (created).</summary>
    Reserved,

    /// <summary>Paid: the order is complete and its ticket sold.</summary>
    Paid,

    /// <summary>Cancelled by its buyer: the ticket is back on sale.</summary>
    Cancelled,
}

/// <summary>
/// A large market, fast: accounts, listings and orders built by the aggregates' own behaviour
/// (<see cref="Ticket.List"/>, <see cref="Order.Place"/>, <c>Lock</c>, <c>Complete</c>, <c>MarkSold</c>,
/// <c>Cancel</c>, <c>Unlock</c>) and saved through the app's DbContext in batches. Their events are
/// cleared as if dispatched long ago, so that thousands of rows take a second rather than minutes of
/// use-case calls, and no open page receives a flood of pushes for them.
/// </summary>
public static class MarketSeed
{
    private const int Batch = 1_000;

    /// <summary>Accounts with no password (they never sign in), as <c>{prefix}-{n}@example.com</c>.</summary>
    public static async Task<List<Guid>> UsersAsync(IServiceProvider services, string prefix, int count, DateTimeOffset createdAt)
    {
        var ids = new List<Guid>(count);
        await using var db = Context(services);
        for (var i = 0; i < count; i++)
        {
            var email = $"{prefix}-{i}@example.com";
            var user = new AppUser
            {
                Id = Guid.NewGuid(),
                UserName = email,
                NormalizedUserName = email.ToUpperInvariant(),
                Email = email,
                NormalizedEmail = email.ToUpperInvariant(),
                SecurityStamp = Guid.NewGuid().ToString("N"),
                CreatedAt = createdAt,
            };
            db.Users.Add(user);
            ids.Add(user.Id);
        }

        await db.SaveChangesAsync();
        return ids;
    }

    /// <summary>
    /// <paramref name="count"/> listings, the first one the oldest, one second apart from
    /// <paramref name="oldest"/>, sold in turn by <paramref name="sellers"/>. When <paramref name="order"/>
    /// names a buyer for a listing, that buyer orders it a minute after it was listed, and the order
    /// ends as the outcome says (its ticket changing with it).
    /// </summary>
    public static async Task<List<SeededListing>> ListingsAsync(
        IServiceProvider services,
        IReadOnlyList<Guid> sellers,
        int count,
        DateTimeOffset oldest,
        Func<int, TicketDetails> details,
        Func<int, (Guid Buyer, SeededOutcome Outcome)?>? order = null,
        TimeSpan? window = null)
    {
        var seeded = new List<SeededListing>(count);
        for (var start = 0; start < count; start += Batch)
        {
            await using var db = Context(services);
            for (var i = start; i < Math.Min(count, start + Batch); i++)
            {
                var ticket = Ticket.List(Guid.NewGuid(), sellers[i % sellers.Count], details(i), oldest.AddSeconds(i));
                var placed = order?.Invoke(i) is { } o ? Place(ticket, o.Buyer, o.Outcome, window ?? TimeSpan.FromMinutes(15)) : null;
                ticket.ClearDomainEvents();
                placed?.ClearDomainEvents();
                db.Tickets.Add(ticket);
                if (placed is not null)
                {
                    db.Orders.Add(placed);
                }

                seeded.Add(new SeededListing(ticket, placed));
            }

            await db.SaveChangesAsync();
        }

        return seeded;
    }

    private static Order Place(Ticket ticket, Guid buyer, SeededOutcome outcome, TimeSpan window)
    {
        var placedAt = ticket.CreatedAt.AddMinutes(1);
        var order = Order.Place(Guid.NewGuid(), buyer, ticket.Id, ticket.Title, ticket.Price, placedAt, window);
        ticket.Lock(order.Id, buyer, order.ExpiresAt, placedAt);
        var endedAt = placedAt.AddSeconds(30);
        switch (outcome)
        {
            case SeededOutcome.Paid:
                order.Complete(Guid.NewGuid(), endedAt);
                ticket.MarkSold(order.Id, endedAt);
                break;
            case SeededOutcome.Cancelled:
                order.Cancel(CancellationReason.User, endedAt);
                ticket.Unlock(order.Id, endedAt);
                break;
        }

        return order;
    }

    private static TicketingDbContext Context(IServiceProvider services) =>
        services.GetRequiredService<IDbContextFactory<TicketingDbContext>>().CreateDbContext();
}
