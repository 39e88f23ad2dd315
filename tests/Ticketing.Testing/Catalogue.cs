using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Testing;

/// <summary>
/// A market of thousands of listings (and a buyer's history of orders) in seconds: made with the
/// domain's own methods, as the use cases would, and written in large saves on the database file
/// with their events recorded as long delivered, so that nothing replays them. The app sees the
/// rows as another process's commit.
/// </summary>
public static class Catalogue
{
    private const int PerSave = 2_000;

    private static readonly string[] Acts =
    [
        "Arctic Monkeys", "Radiohead", "Portishead", "Massive Attack", "The National", "Fontaines D.C.", "Wet Leg", "Bonobo",
        "Little Simz", "Jazz night", "Royal Philharmonic", "Khruangbin", "IDLES", "Floating Points", "Self Esteem", "Caribou",
    ];

    private static readonly string[] Venues =
    [
        "O2 Arena", "Barbican Hall", "Roundhouse", "Brixton Academy", "Royal Albert Hall", "Alexandra Palace", "Koko", "Village Underground",
    ];

    private static readonly string[] Seats = ["floor standing", "seated, block C", "balcony", "front row", "general admission"];

    /// <summary>A realistic listing for position <paramref name="i"/>: varied acts, seats, prices, venues and dates.</summary>
    public static TicketDetails Listing(int i, DateTimeOffset around) => TicketDetails.Create(
        $"{Acts[i % Acts.Length]} — {Seats[i / Acts.Length % Seats.Length]} #{i}",
        15m + (i * 37 % 480) + (i % 4 * 0.25m),
        i % 5 == 0 ? null : around.AddDays(3 + (i * 7 % 200)).AddHours(19 - around.Hour),
        i % 3 == 0 ? null : Venues[i % Venues.Length],
        i % 2 == 0 ? "Can't make it any more; happy to transfer the ticket right after payment." : null);

    /// <summary>
    /// Lists <paramref name="count"/> tickets for <paramref name="sellerId"/>, the last one listed at
    /// <paramref name="newest"/> and each earlier one <paramref name="spacing"/> before the next
    /// (zero spacing: all at the same instant). Returns them oldest first.
    /// </summary>
    public static async Task<List<Ticket>> ListTicketsAsync(
        string databasePath, Guid sellerId, int count, DateTimeOffset newest, Func<int, TicketDetails>? details = null, TimeSpan? spacing = null)
    {
        var step = spacing ?? TimeSpan.FromSeconds(1);
        var tickets = new List<Ticket>(count);
        for (var i = 0; i < count; i++)
        {
            var listedAt = newest - (step * (count - 1 - i));
            tickets.Add(Ticket.List(Guid.NewGuid(), sellerId, details?.Invoke(i) ?? Listing(i, listedAt), listedAt));
        }

        await SaveAsync(databasePath, tickets);
        return tickets;
    }

    /// <summary>
    /// Gives <paramref name="buyerId"/> a history of <paramref name="count"/> orders, each for a
    /// ticket of its own from <paramref name="sellerId"/>, placed <paramref name="spacing"/> apart up
    /// to <paramref name="newest"/>; every order but the newest was cancelled by the buyer, so the
    /// tickets are back on sale and the buyer holds one live reservation. Returns the orders oldest first.
    /// </summary>
    public static async Task<List<Order>> PlaceOrdersAsync(
        string databasePath, Guid buyerId, Guid sellerId, int count, DateTimeOffset newest, TimeSpan? spacing = null)
    {
        var step = spacing ?? TimeSpan.FromSeconds(1);
        var window = TimeSpan.FromMinutes(15);
        var aggregates = new List<AggregateRoot>(count * 2);
        var orders = new List<Order>(count);
        for (var i = 0; i < count; i++)
        {
            var placedAt = newest - (step * (count - 1 - i));
            var listedAt = placedAt - TimeSpan.FromMinutes(1);
            var ticket = Ticket.List(Guid.NewGuid(), sellerId, Listing(i, listedAt), listedAt);
            var order = Order.Place(Guid.NewGuid(), buyerId, ticket.Id, ticket.Title, ticket.Price, placedAt, window);
            ticket.Lock(order.Id, buyerId, order.ExpiresAt, placedAt);
            if (i < count - 1)
            {
                order.Cancel(CancellationReason.User, placedAt);
                ticket.Unlock(order.Id, placedAt);
            }

            aggregates.Add(ticket);
            aggregates.Add(order);
            orders.Add(order);
        }

        await SaveAsync(databasePath, aggregates);
        return orders;
    }

    private static async Task SaveAsync(string databasePath, IReadOnlyList<AggregateRoot> aggregates)
    {
        var options = new DbContextOptionsBuilder<SqliteTicketingDbContext>().UseSqlite($"Data Source={databasePath}").Options;
        for (var done = 0; done < aggregates.Count; done += PerSave)
        {
            await using var db = new SqliteTicketingDbContext(options);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            foreach (var aggregate in aggregates.Skip(done).Take(PerSave))
            {
                db.Add(aggregate);
                db.Entry(aggregate).Property(ConcurrencyToken.PropertyName).CurrentValue = Guid.NewGuid().ToByteArray();
                foreach (var domainEvent in aggregate.DomainEvents)
                {
                    var message = EventTypes.ToOutboxMessage(domainEvent);
                    message.ProcessedAt = domainEvent.OccurredAt;
                    db.OutboxMessages.Add(message);
                }

                aggregate.ClearDomainEvents();
            }

            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync();
        }
    }
}
