using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Payments;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Payments;

/// <summary>
/// One charge per order, through the API: parallel payment requests for one order, from one tab or
/// several, with one token or several, reach the gateway once. A counting decorator sits around the
/// app's real test gateway.
/// </summary>
public sealed class ConcurrentPaymentTests : IAsyncLifetime
{
    private static readonly string[] Losers = ["A payment for this order is in progress", "Order has already been paid"];

    private readonly CountingGateway _gateway = new();
    private TicketingApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new TicketingApp(settings: AppFixture.Settings(), services: _gateway.Install);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("tok_visa", "tok_visa", "tok_visa", "tok_visa", "tok_visa")]
    [InlineData("tok_visa", "pm_card_visa", "tok_mastercard", "pm_card_mastercard", "tok_amex")]
    public async Task FiveParallelPayments_AnswerOne201AndFour400_AndChargeOnce(params string[] tokens)
    {
        var (_, buyer, ticket, order) = await _app.ReservedTicketAsync(price: 45m);

        var responses = await Task.WhenAll(tokens.Select(token => buyer.PostAsJsonAsync("/api/payments", new { orderId = order.Id, token })));

        var created = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var paymentId = (await created.ReadJsonAsync()).GetProperty("id").GetGuid();
        foreach (var loser in responses.Where(r => r != created))
        {
            var errors = await loser.AssertErrorAsync(HttpStatusCode.BadRequest);
            Assert.Contains(Assert.Single(errors.Errors).Message, Losers);
        }

        Assert.Equal(1, _gateway.Charges);
        await using var db = _app.CreateDbContext();
        var payment = await db.Payments.SingleAsync(p => p.OrderId == order.Id);
        Assert.Equal((paymentId, PaymentStatus.Succeeded, 4_500L), (payment.Id, payment.Status, payment.AmountMinor));
        var messages = await db.OutboxMessages.AsNoTracking().ToListAsync();
        Assert.Single(messages, m => m.Type == nameof(PaymentCreated) && m.AggregateId == paymentId);
        Assert.Single(messages, m => m.Type == "PaymentCreated");
        Assert.Single(messages, m => m.Type == "OrderCompleted" && m.AggregateId == order.Id);
        Assert.Single(messages, m => m.Type == "TicketSold" && m.AggregateId == ticket.Id);
        Assert.Equal("complete", (await buyer.GetOrderAsync(order.Id)).Status);
        Assert.Equal("sold", (await buyer.GetTicketAsync(ticket.Id)).Status);
    }

    [Fact]
    public async Task ThreeHundredParallelPayments_ForThirtyOrders_ChargeEachOrderOnce_AndNeverAnswer5xx()
    {
        const int Orders = 30;
        const int PerOrder = 10;
        var (seller, _, _) = await _app.SignUpAsync();
        var orders = new List<(HttpClient Buyer, Guid OrderId)>();
        for (var i = 0; i < Orders; i++)
        {
            var (buyer, _, _) = await _app.SignUpAsync();
            var ticket = await seller.ListTicketAsync(price: 10m + i);
            orders.Add((buyer, (await buyer.ReserveAsync(ticket.Id)).Id));
        }

        string[] tokens = ["tok_visa", "pm_card_visa", "tok_mastercard", "pm_card_mastercard", "tok_amex"];
        var requests = orders.SelectMany(o => Enumerable.Range(0, PerOrder).Select(async i =>
        {
            using var response = await o.Buyer.PostAsJsonAsync("/api/payments", new { orderId = o.OrderId, token = tokens[i % tokens.Length] });
            return (o.OrderId, response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        var answers = await Task.WhenAll(requests);

        Assert.Equal(Orders * PerOrder, answers.Length);
        Assert.DoesNotContain(answers, a => (int)a.StatusCode >= 500);
        Assert.All(answers.GroupBy(a => a.OrderId), perOrder =>
        {
            Assert.Single(perOrder, a => a.StatusCode == HttpStatusCode.Created);
            Assert.All(perOrder.Where(a => a.StatusCode != HttpStatusCode.Created), a =>
            {
                Assert.Equal(HttpStatusCode.BadRequest, a.StatusCode);
                Assert.Contains(Losers, m => a.Body.Contains(m, StringComparison.Ordinal));
            });
            Assert.Equal(1, _gateway.ChargesFor(perOrder.Key));
        });
        await using var db = _app.CreateDbContext();
        Assert.Equal(Orders, await db.Payments.CountAsync());
        Assert.Equal(Orders, await db.Orders.CountAsync(o => o.Status == Domain.Orders.OrderStatus.Complete));
    }

    [Fact]
    public async Task Cancel_WhileTheChargeIsInsideTheGateway_Returns400_AndThePaymentThenCompletes()
    {
        var (_, buyer, ticket, order) = await _app.ReservedTicketAsync();
        using var admin = await _app.SignInAdminAsync();
        var hold = _gateway.HoldCharges();

        var paying = buyer.PostAsJsonAsync("/api/payments", new { orderId = order.Id, token = "tok_visa" });
        await hold.Entered.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal("awaiting:payment", (await buyer.GetOrderAsync(order.Id)).Status);
        await (await buyer.DeleteAsync($"/api/orders/{order.Id}")).AssertErrorAsync(HttpStatusCode.BadRequest, "A payment for this order is in progress");
        await (await admin.DeleteAsync($"/api/orders/{order.Id}")).AssertErrorAsync(HttpStatusCode.BadRequest, "A payment for this order is in progress");
        hold.Release();

        Assert.Equal(HttpStatusCode.Created, (await paying).StatusCode);
        Assert.Equal("complete", (await buyer.GetOrderAsync(order.Id)).Status);
        Assert.Equal("sold", (await buyer.GetTicketAsync(ticket.Id)).Status);
        Assert.Equal(1, _gateway.Charges);
    }
}
