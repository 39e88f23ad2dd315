using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Payments;

/// <summary>
/// One charge per order: racers on real threads, every one of them reading the order before any
/// of them can commit (the database's write lock is held until all have read it).
/// </summary>
public sealed class ConcurrentPaymentTests
{
    public static TheoryData<string[]> Tokens => new()
    {
        { ["tok_visa", "tok_visa", "tok_visa", "tok_visa", "tok_visa"] },
        { ["tok_visa", "pm_card_visa", "tok_mastercard", "pm_card_mastercard", "tok_amex"] },
    };

    [Theory]
    [MemberData(nameof(Tokens))]
    public async Task FivePayments_AllReadingTheOrderBeforeAnyCommits_ChargeOnceAndRecordOnePayment(string[] tokens)
    {
        var gateway = new CountingGateway();
        var reads = new OrderReadCounter();
        await using var app = new TicketingApp(services: s =>
        {
            gateway.Install(s);
            s.ConfigureDbContext<SqliteTicketingDbContext>(o => o.AddInterceptors(reads));
        });
        var buyer = Guid.NewGuid();
        var ticket = await app.Services.ListTicketAsync(Guid.NewGuid(), 30m);
        var order = await app.Services.ReserveAsync(buyer, ticket.Id);
        await app.Services.WaitForOutboxToSettleAsync();

        Task<Outcome<PaymentResult>[]> race;
        using (SqliteWriteLock.Take(app.DatabasePath))
        {
            race = Race.RunAsync<PaymentResult>(tokens.Select(token => (Func<Task<PaymentResult>>)(() => app.Services.PayAsync(buyer, order.Id, token))).ToList());
            await reads.WaitForRacersAsync(order.Id, tokens.Length);
        }

        var outcomes = await race;
        var winner = Assert.Single(outcomes, o => o.Succeeded);
        Assert.Equal(PaymentOutcome.Completed, winner.Value!.Outcome);
        Assert.All(outcomes.Where(o => !o.Succeeded), o => Assert.Contains(
            Assert.IsType<BusinessRuleViolationException>(o.Error).Message,
            new[] { "A payment for this order is in progress", "Order has already been paid" }));
        Assert.Equal(1, gateway.Charges);

        await using var db = app.Services.OpenDb();
        var payment = await db.Payments.AsNoTracking().SingleAsync();
        Assert.Equal((winner.Value.PaymentId, order.Id, PaymentStatus.Succeeded, 3_000L), ((Guid?)payment.Id, payment.OrderId, payment.Status, payment.AmountMinor));
        Assert.Equal(OrderStatus.Complete, (await app.Services.ReadOrderAsync(order.Id)).Status);
        Assert.Equal(TicketStatus.Sold, (await app.Services.ReadTicketAsync(ticket.Id)).Status);
        Assert.Equal((1, 1, 1), await CountEventsAsync(db, order.Id, ticket.Id));
    }

    [Fact]
    public async Task TwoHundredPayments_ForTwentyOrders_AtOnce_ChargeEachOrderOnce()
    {
        const int Orders = 20;
        const int PerOrder = 10;
        var gateway = new CountingGateway();
        await using var app = new TicketingApp(services: gateway.Install);
        var orders = new List<(Guid Buyer, Guid OrderId)>();
        for (var i = 0; i < Orders; i++)
        {
            var buyer = Guid.NewGuid();
            var ticket = await app.Services.ListTicketAsync(Guid.NewGuid(), 10m + i);
            orders.Add((buyer, (await app.Services.ReserveAsync(buyer, ticket.Id)).Id));
        }

        string[] tokens = ["tok_visa", "pm_card_visa", "tok_mastercard", "pm_card_mastercard", "tok_amex"];
        var racers = orders
            .SelectMany(o => Enumerable.Range(0, PerOrder).Select(i => (Func<Task<PaymentResult>>)(() => app.Services.PayAsync(o.Buyer, o.OrderId, tokens[i % tokens.Length]))))
            .ToList();

        var outcomes = await Race.RunAsync(racers);

        Assert.Equal(Orders, outcomes.Count(o => o.Succeeded));
        Assert.All(outcomes.Where(o => o.Succeeded), o => Assert.Equal(PaymentOutcome.Completed, o.Value!.Outcome));
        Assert.All(outcomes.Where(o => !o.Succeeded), o => Assert.IsType<BusinessRuleViolationException>(o.Error));
        Assert.All(orders, o => Assert.Equal(1, gateway.ChargesFor(o.OrderId)));
        await using var db = app.Services.OpenDb();
        Assert.Equal(Orders, await db.Payments.CountAsync(p => p.Status == PaymentStatus.Succeeded));
        Assert.Equal(Orders, await db.Payments.CountAsync());
        Assert.Equal(Orders, await db.Orders.CountAsync(o => o.Status == OrderStatus.Complete));
    }

    /// <summary>PaymentCreated, OrderCompleted and TicketSold in the outbox for this order.</summary>
    internal static async Task<(int PaymentCreated, int OrderCompleted, int TicketSold)> CountEventsAsync(TicketingDbContext db, Guid orderId, Guid ticketId)
    {
        var messages = await db.OutboxMessages.AsNoTracking().ToListAsync();
        return (
            messages.Count(m => m.Type == nameof(PaymentCreated) && m.Payload.Contains(orderId.ToString(), StringComparison.OrdinalIgnoreCase)),
            messages.Count(m => m.Type == nameof(OrderCompleted) && m.AggregateId == orderId),
            messages.Count(m => m.Type == nameof(TicketSold) && m.AggregateId == ticketId));
    }
}
