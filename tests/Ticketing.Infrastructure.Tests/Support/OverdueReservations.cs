using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>
/// Reservations whose window closed while no app ran: each ticket locked by its order, each order
/// still <c>created</c>, their earlier events already dispatched (none left in the outbox).
/// </summary>
internal static class OverdueReservations
{
    public static async Task<List<(Guid TicketId, Guid OrderId)>> SeedAsync(string databasePath, int count)
    {
        await using var db = TestDatabase.Open(databasePath);
        await db.Database.MigrateAsync();
        var window = TimeSpan.FromMinutes(15);
        var placedAt = DateTimeOffset.UtcNow - window - TimeSpan.FromMinutes(1);
        var seller = Guid.NewGuid();
        var seeded = new List<(Guid, Guid)>();
        for (var i = 0; i < count; i++)
        {
            var ticket = Ticket.List(Guid.NewGuid(), seller, TicketDetails.Create($"Show {i}", 20m), placedAt);
            var buyer = Guid.NewGuid();
            var order = Order.Place(Guid.NewGuid(), buyer, ticket.Id, ticket.Title, ticket.Price, placedAt, window);
            ticket.Lock(order.Id, buyer, order.ExpiresAt, placedAt);
            ticket.ClearDomainEvents();
            order.ClearDomainEvents();
            db.Tickets.Add(ticket);
            db.Orders.Add(order);
            seeded.Add((ticket.Id, order.Id));
        }

        ConcurrencyToken.RenewForChangedRows(db);
        await db.SaveChangesAsync();
        return seeded;
    }
}
