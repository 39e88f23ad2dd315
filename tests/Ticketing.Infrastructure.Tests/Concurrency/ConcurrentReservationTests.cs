using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Domain.Tickets.Rules;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Concurrency;

/// <summary>Many buyers pressing Purchase on one ticket at the same moment.</summary>
public sealed class ConcurrentReservationTests
{
    private const int Buyers = 30;

    [Fact]
    public async Task ThirtyBuyers_RacingForOneTicket_ExactlyOneWinsAndTheRestAreToldItIsReserved()
    {
        await using var app = new TicketingApp();
        var ticket = await app.Services.ListTicketAsync(Guid.NewGuid());

        var outcomes = await Race.RunAsync(Racers(app.Services, ticket.Id));

        await AssertOneWinnerAsync(app.Services, ticket.Id, outcomes);
    }

    [Fact]
    public async Task ThirtyBuyers_WhoAllReadTheTicketBeforeAnyCommits_ExactlyOneWinsOnTheConcurrencyToken()
    {
        var reads = new TicketReadCounter();
        await using var app = new TicketingApp();
        var services = reads.Attach(app).Services;
        var ticket = await services.ListTicketAsync(Guid.NewGuid());

        Task<Outcome<OrderView>[]> race;
        using (SqliteWriteLock.Take(app.DatabasePath))
        {
            race = Race.RunAsync(Racers(services, ticket.Id));

            // Every racer reads version 0 of the ticket and queues for the write lock: each loser
            // then passes the domain check and is stopped by the concurrency token alone.
            await reads.WaitForRacersAsync(ticket.Id, Buyers);
            Assert.False(race.IsCompleted, "A racer finished while the database was locked for writing.");
        }

        await AssertOneWinnerAsync(services, ticket.Id, await race);
    }

    private static List<Func<Task<OrderView>>> Racers(IServiceProvider services, Guid ticketId) =>
        Enumerable.Range(0, Buyers)
            .Select(_ => Guid.NewGuid())
            .Select(buyer => (Func<Task<OrderView>>)(() => services.ReserveAsync(buyer, ticketId)))
            .ToList();

    private static async Task AssertOneWinnerAsync(IServiceProvider services, Guid ticketId, Outcome<OrderView>[] outcomes)
    {
        var winner = Assert.Single(outcomes, o => o.Succeeded).Value!;
        var losers = outcomes.Where(o => !o.Succeeded).Select(o => o.Error!).ToList();
        Assert.Equal(Buyers - 1, losers.Count);
        Assert.All(losers, error =>
        {
            var violation = Assert.IsType<BusinessRuleViolationException>(error);
            Assert.IsType<TicketMustBeAvailableRule>(violation.Rule);
            Assert.Equal("Ticket is already reserved", violation.Message);
        });

        var ticket = await services.ReadTicketAsync(ticketId);
        Assert.Equal(TicketStatus.Reserved, ticket.Status);
        Assert.Equal(1, ticket.Version);
        Assert.Equal(winner.Id, ticket.OrderId);
        Assert.Equal(winner.ExpiresAt, ticket.ReservedUntil);

        await using var db = services.OpenDb();
        var order = Assert.Single(await db.Orders.AsNoTracking().Where(o => o.TicketId == ticketId).ToListAsync());
        Assert.Equal(winner.Id, order.Id);
        Assert.Equal(OrderStatus.Created, order.Status);
        Assert.Equal(0, order.Version);

        // The losers' rolled-back saves left no events behind either.
        var ticketEvents = await db.OutboxMessages.AsNoTracking().Where(m => m.AggregateId == ticketId).Select(m => m.Type).ToListAsync();
        Assert.Equal(["TicketCreated", "TicketLocked"], ticketEvents.Order());
        Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.Type == "OrderCreated"));
    }
}
