using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>
/// The use cases as the API calls them (each on its own DI scope), and direct reads of the rows
/// they leave behind.
/// </summary>
internal static class Marketplace
{
    public static async Task<TicketView> ListTicketAsync(this IServiceProvider services, Guid sellerId, decimal price = 25m, string title = "Concert")
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TicketListings>().CreateAsync(new Actor(sellerId), new TicketInput(title, price));
    }

    /// <summary>Lists <paramref name="count"/> tickets of one seller ("Seat 0", "Seat 1", ...) and returns their ids.</summary>
    public static async Task<List<Guid>> ListTicketsAsync(this IServiceProvider services, int count)
    {
        var seller = Guid.NewGuid();
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await services.ListTicketAsync(seller, title: $"Seat {i}")).Id);
        }

        return ids;
    }

    public static async Task<TicketView> EditPriceAsync(this IServiceProvider services, Guid sellerId, Guid ticketId, string title, decimal price)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TicketListings>().EditAsync(new Actor(sellerId), ticketId, new TicketInput(title, price));
    }

    public static async Task<OrderView> ReserveAsync(this IServiceProvider services, Guid buyerId, Guid ticketId)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TicketOrders>().ReserveAsync(new Actor(buyerId), ticketId);
    }

    public static async Task<OrderView> CancelAsync(this IServiceProvider services, Guid buyerId, Guid orderId)
    {
        await using var scope = services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<TicketOrders>().CancelAsync(new Actor(buyerId), orderId)).Order;
    }

    public static async Task<PaymentResult> PayAsync(this IServiceProvider services, Guid buyerId, Guid orderId, string token)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OrderPayments>().PayAsync(new Actor(buyerId), orderId, token);
    }

    public static TicketingDbContext OpenDb(this IServiceProvider services) =>
        services.GetRequiredService<IDbContextFactory<TicketingDbContext>>().CreateDbContext();

    public static async Task<Ticket> ReadTicketAsync(this IServiceProvider services, Guid ticketId)
    {
        await using var db = services.OpenDb();
        return await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == ticketId);
    }

    public static async Task<Order> ReadOrderAsync(this IServiceProvider services, Guid orderId)
    {
        await using var db = services.OpenDb();
        return await db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId);
    }

    public static async Task<List<OutboxMessage>> ReadOutboxAsync(this IServiceProvider services, Guid aggregateId)
    {
        await using var db = services.OpenDb();
        return await db.OutboxMessages.AsNoTracking().Where(m => m.AggregateId == aggregateId).OrderBy(m => m.Id).ToListAsync();
    }

    /// <summary>
    /// Waits until the dispatcher has finished every committed message; a timeout names the messages
    /// still waiting, with their tries and last error. The default wait outlasts three failed tries'
    /// back-off (2 + 4 + 8 s) on a machine busy with the other test projects.
    /// </summary>
    public static async Task WaitForOutboxToSettleAsync(this IServiceProvider services, TimeSpan? timeout = null)
    {
        try
        {
            await Ticketing.Testing.TicketingApp.WaitUntilAsync(
                async () =>
                {
                    await using var db = services.OpenDb();
                    return !await db.OutboxMessages.AnyAsync(m => m.ProcessedAt == null);
                },
                timeout ?? TimeSpan.FromSeconds(20),
                "every outbox message is processed");
        }
        catch (TimeoutException timedOut)
        {
            await using var db = services.OpenDb();
            var waiting = await db.OutboxMessages.AsNoTracking().Where(m => m.ProcessedAt == null).OrderBy(m => m.Id).Take(10).ToListAsync();
            var lines = waiting.Select(m => $"#{m.Id} {m.Type}: {m.Attempts} tries, locked by {m.LockedBy ?? "nobody"} until {m.LockedUntil?.ToString("HH:mm:ss.fff") ?? "-"}, last error {m.LastError ?? "none"}");
            throw new TimeoutException($"{timedOut.Message} Still waiting at {DateTimeOffset.UtcNow:HH:mm:ss.fff}:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}", timedOut);
        }
    }

    public static bool IsLiveOrComplete(this Order order) => order.IsLive || order.Status == OrderStatus.Complete;
}
