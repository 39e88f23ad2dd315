using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Identity;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;
using Ticketing.Testing;
using Xunit.Abstractions;

namespace Ticketing.Web.Tests.Api.Users;

/// <summary>
/// Deleting an account while its own requests are still arriving: payments, reservations and new
/// listings sent at the same moment. Whatever order they land in, no money is kept without an order,
/// no live order or listing is left to an account that is gone, and nothing answers 5xx.
/// </summary>
public sealed class AccountDeletionRaceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Password = "correct-horse-battery";

    private readonly CountingGateway _gateway = new();
    private TicketingApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new TicketingApp(settings: AppFixture.Settings(), services: _gateway.Install);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task SixtyDeletions_EachRacingItsOwnPayment_NeverLeaveMoneyWithoutAnOrder()
    {
        const int Buyers = 60;
        var (seller, _, _) = await _app.SignUpAsync();
        var buyers = new List<(HttpClient Client, Guid Id, Guid OrderId)>();
        for (var i = 0; i < Buyers; i++)
        {
            var (client, id, _) = await _app.SignUpAsync(password: Password);
            var ticket = await seller.ListTicketAsync(price: 10m + i);
            buyers.Add((client, id, (await client.ReserveAsync(ticket.Id)).Id));
        }

        var answers = await Task.WhenAll(buyers.Select(async b =>
        {
            var paying = b.Client.PostAsJsonAsync("/api/payments", new { orderId = b.OrderId, token = "tok_visa" });
            var deleting = b.Client.DeleteAccountAsync(Password);
            return (Buyer: b, Payment: (await paying).StatusCode, Deletion: (await deleting).StatusCode);
        }));

        output.WriteLine(string.Join(", ", answers.GroupBy(a => $"payment {(int)a.Payment} / deletion {(int)a.Deletion}").Select(g => $"{g.Key}: {g.Count()}")));
        Assert.DoesNotContain(answers, a => (int)a.Payment >= 500 || (int)a.Deletion >= 500);
        await using var db = _app.CreateDbContext();
        var orders = await db.Orders.AsNoTracking().ToDictionaryAsync(o => o.Id);
        var payments = await db.Payments.AsNoTracking().ToListAsync();
        foreach (var (buyer, payment, deletion) in answers)
        {
            var order = orders[buyer.OrderId];
            var charged = _gateway.ChargesFor(order.Id);
            Assert.True(charged <= 1, $"Order {order.Id} was charged {charged} times");
            if (payment == HttpStatusCode.Created)
            {
                Assert.Equal(1, charged);
                Assert.Equal(OrderStatus.Complete, order.Status);
                Assert.Single(payments, p => p.OrderId == order.Id && p.Status == PaymentStatus.Succeeded);
            }
            else
            {
                // The deletion's cancel came first: refused before any money moved.
                Assert.Equal(0, charged);
                Assert.DoesNotContain(payments, p => p.OrderId == order.Id);
                Assert.Equal(HttpStatusCode.NoContent, deletion);
            }

            if (deletion == HttpStatusCode.NoContent)
            {
                Assert.Equal(DeletedAccount.Id, order.BuyerId);
                Assert.False(order.IsLive);
            }
            else
            {
                // Refused while the charge was in flight; the account and its paid order stay.
                Assert.Equal(HttpStatusCode.BadRequest, deletion);
                Assert.Equal(buyer.Id, order.BuyerId);
                Assert.True(await db.Users.AnyAsync(u => u.Id == buyer.Id));
            }
        }

        // Every charge has its order: complete and its ticket sold to it.
        Assert.Equal(_gateway.Charges, payments.Count(p => p.Status == PaymentStatus.Succeeded));
        var tickets = await db.Tickets.AsNoTracking().ToDictionaryAsync(t => t.Id);
        Assert.All(payments, p => Assert.Equal((TicketStatus.Sold, (Guid?)p.OrderId), (tickets[orders[p.OrderId].TicketId].Status, tickets[orders[p.OrderId].TicketId].OrderId)));
        Assert.DoesNotContain(orders.Values, o => o.IsLive);
    }

    [Fact]
    public async Task Deletion_WhileItsChargeIsInsideTheGateway_IsRefused_AndSucceedsOnceThePaymentCompleted()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var (buyer, buyerId, _) = await _app.SignUpAsync(password: Password);
        var order = await buyer.ReserveAsync((await seller.ListTicketAsync(price: 42m)).Id);
        var hold = _gateway.HoldCharges();
        var paying = buyer.PostAsJsonAsync("/api/payments", new { orderId = order.Id, token = "tok_visa" });
        await hold.Entered.WaitAsync(TimeSpan.FromSeconds(15));

        var refused = await buyer.DeleteAccountAsync(Password);
        hold.Release();

        await refused.AssertErrorAsync(HttpStatusCode.BadRequest, new AccountMustHaveNoPaymentInProgressRule(true).Message);
        Assert.Equal(HttpStatusCode.Created, (await paying).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await buyer.DeleteAccountAsync(Password)).StatusCode);
        await using var db = _app.CreateDbContext();
        var kept = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == order.Id);
        Assert.Equal((OrderStatus.Complete, DeletedAccount.Id), (kept.Status, kept.BuyerId));
        Assert.Equal(4_200L, (await db.Payments.AsNoTracking().SingleAsync(p => p.OrderId == order.Id)).AmountMinor);
        Assert.False(await db.Users.AnyAsync(u => u.Id == buyerId));
    }

    [Fact]
    public async Task FiftyDeletions_EachRacingThreeReservationsAndAListing_LeaveNothingLiveToTheDeletedAccounts()
    {
        const int Accounts = 50;
        var (seller, _, _) = await _app.SignUpAsync();
        var accounts = new List<(HttpClient Client, Guid Id, Guid[] Tickets)>();
        for (var i = 0; i < Accounts; i++)
        {
            var (client, id, _) = await _app.SignUpAsync(password: Password);
            var tickets = new Guid[3];
            for (var t = 0; t < tickets.Length; t++)
            {
                tickets[t] = (await seller.ListTicketAsync(price: 5m + t)).Id;
            }

            accounts.Add((client, id, tickets));
        }

        var answers = await Task.WhenAll(accounts.Select(async a =>
        {
            var requests = a.Tickets.Select(t => a.Client.PostAsJsonAsync("/api/orders", new { ticketId = t }))
                .Append(a.Client.PostAsJsonAsync("/api/tickets", new { title = "Listed while leaving", price = 9m }))
                .Append(a.Client.DeleteAccountAsync(Password))
                .ToList();
            var responses = await Task.WhenAll(requests);
            return (Account: a, Statuses: responses.Select(r => r.StatusCode).ToList());
        }));

        output.WriteLine(string.Join(", ", answers.SelectMany(a => a.Statuses.Take(4)).GroupBy(s => (int)s).Select(g => $"{g.Key}: {g.Count()}")));
        Assert.DoesNotContain(answers, a => a.Statuses.Any(s => (int)s >= 500));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NoContent, a.Statuses[^1]));
        Assert.All(answers, a => Assert.All(a.Statuses.Take(4), s => Assert.Contains(s, new[] { HttpStatusCode.Created, HttpStatusCode.Unauthorized })));
        await using var db = _app.CreateDbContext();
        var ids = accounts.Select(a => a.Id).ToList();
        Assert.False(await db.Orders.AnyAsync(o => ids.Contains(o.BuyerId)));
        Assert.False(await db.Tickets.AnyAsync(t => ids.Contains(t.SellerId)));
        Assert.False(await db.Set<Ticketing.Infrastructure.Orders.BuyerReservationGate>().AnyAsync(g => ids.Contains(g.BuyerId)));
        Assert.False(await db.Orders.AnyAsync(o => o.BuyerId == DeletedAccount.Id && (o.Status == OrderStatus.Created || o.Status == OrderStatus.AwaitingPayment)));
        Assert.False(await db.Tickets.AnyAsync(t => t.SellerId == DeletedAccount.Id && !t.IsWithdrawn && t.Status != TicketStatus.Sold));

        // Every ticket of the market is free again: the reservations that got in were cancelled with their account.
        Assert.All(await db.Tickets.AsNoTracking().Where(t => t.SellerId != DeletedAccount.Id).ToListAsync(), t => Assert.Equal(TicketStatus.Available, t.Status));
        Assert.Equal(Accounts, await db.Set<Ticketing.Infrastructure.Identity.ClosedAccount>().CountAsync());
    }
}
