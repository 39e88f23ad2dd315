using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Orders;

/// <summary>
/// <c>POST /api/orders/{id}/refund</c> on the app paying through Stripe (the local stub, which keeps
/// Stripe's books): admins only, one refund at Stripe however many requests race, the order
/// refunded and its ticket relisted or withdrawn.
/// </summary>
public sealed class RefundOrderTests : IAsyncLifetime
{
    private StripeStub _stub = null!;
    private TicketingApp _app = null!;

    public async Task InitializeAsync()
    {
        _stub = await StripeStub.StartAsync();
        _app = new TicketingApp(settings: AppFixture.Settings(
            ("Stripe:SecretKey", StripeStub.SecretKey),
            ("Stripe:ApiBase", _stub.BaseUrl)));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _stub.DisposeAsync();
    }

    [Fact]
    public async Task DoubleClickedRefund_RefundsOnceAtStripe_AnswersOnce_AndRelistsTheTicket()
    {
        var (seller, buyer, ticket, order) = await PaidOrderAsync(45m);
        using var admin = await _app.SignInAdminAsync();

        var clicks = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => RefundAsync(admin, order.Id, "Event cancelled")));

        var ok = Assert.Single(clicks, c => c.StatusCode == HttpStatusCode.OK);
        var refunded = (await ok.Content.ReadFromJsonAsync<OrderDto>())!;
        Assert.Equal("refunded", refunded.Status);
        var loser = Assert.Single(clicks, c => c != ok);
        Assert.Equal("Order has already been refunded", Assert.Single((await loser.AssertErrorAsync(HttpStatusCode.BadRequest)).Errors).Message);

        var intent = Assert.Single(_stub.IntentsFor(order.Id));
        var refund = Assert.Single(_stub.Refunds);
        Assert.Equal((intent.Id, 4_500L), (refund.PaymentIntentId, refund.Amount));
        Assert.Equal(4_500L, _stub.Intent(intent.Id).AmountRefunded);

        await using var db = _app.CreateDbContext();
        var payment = await db.Payments.AsNoTracking().SingleAsync(p => p.OrderId == order.Id);
        Assert.Equal((PaymentStatus.Refunded, (RefundReason?)RefundReason.Admin, refund.Id), (payment.Status, payment.RefundReason, payment.RefundReference));
        Assert.Equal("refunded", (await buyer.GetOrderAsync(order.Id)).Status);
        var relisted = await seller.GetTicketAsync(ticket.Id);
        Assert.Equal(("available", (Guid?)null), (relisted.Status, relisted.OrderId));
        Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.Type == nameof(OrderRefunded) && m.AggregateId == order.Id));
        Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.Type == nameof(PaymentRefunded) && m.AggregateId == payment.Id));

        // Another buyer can have it now.
        var (other, _, _) = await _app.SignUpAsync();
        Assert.Equal("created", (await other.ReserveAsync(ticket.Id)).Status);
    }

    [Fact]
    public async Task ThreeHundredParallelRefunds_ForTwentyOrders_RefundEachOnce_AndNeverAnswer5xx()
    {
        const int Orders = 20;
        const int PerOrder = 15;
        var orders = new List<OrderDto>();
        for (var i = 0; i < Orders; i++)
        {
            orders.Add((await PaidOrderAsync(10m + i)).Order);
        }

        using var admin = await _app.SignInAdminAsync();
        var answers = await Task.WhenAll(orders.SelectMany(o => Enumerable.Range(0, PerOrder).Select(async i =>
        {
            using var response = await RefundAsync(admin, o.Id, $"Goodwill {i}", i % 2 == 0 ? "relist" : "withdraw");
            return (OrderId: o.Id, response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })));

        Assert.DoesNotContain(answers, a => (int)a.StatusCode >= 500);
        foreach (var order in orders)
        {
            var mine = answers.Where(a => a.OrderId == order.Id).ToList();
            Assert.Single(mine, a => a.StatusCode == HttpStatusCode.OK);
            Assert.All(mine.Where(a => a.StatusCode != HttpStatusCode.OK), a =>
            {
                Assert.Equal(HttpStatusCode.BadRequest, a.StatusCode);
                Assert.Contains("Order has already been refunded", a.Body);
            });
        }

        Assert.Equal(Orders, _stub.Refunds.Count);
        Assert.All(orders, o =>
        {
            var intent = Assert.Single(_stub.IntentsFor(o.Id));
            Assert.Equal(intent.Amount, _stub.Intent(intent.Id).AmountRefunded);
        });
        await using var db = _app.CreateDbContext();
        var ids = orders.ConvertAll(o => o.Id);
        Assert.Equal(Orders, await db.Orders.CountAsync(o => ids.Contains(o.Id) && o.Status == OrderStatus.Refunded));
        Assert.Equal(Orders, await db.Payments.CountAsync(p => ids.Contains(p.OrderId) && p.Status == PaymentStatus.Refunded));
        Assert.Equal(0, await db.Tickets.CountAsync(t => t.OrderId != null && ids.Contains(t.OrderId.Value)));
    }

    [Fact]
    public async Task Refund_ChoosingWithdraw_TakesTheTicketOffTheMarket()
    {
        var (seller, _, ticket, order) = await PaidOrderAsync(30m);
        using var admin = await _app.SignInAdminAsync();

        using var response = await RefundAsync(admin, order.Id, "Fraudulent listing", ticket: "withdraw");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await seller.GetAsync($"/api/tickets/{ticket.Id}")).StatusCode);
        await using var db = _app.CreateDbContext();
        var row = await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == ticket.Id);
        Assert.Equal((true, (Guid?)null), (row.IsWithdrawn, row.OrderId));
        Assert.Single(_stub.Refunds);
    }

    [Fact]
    public async Task Refund_ByAnyoneButAnAdmin_Is401_AndChangesNothing()
    {
        var (seller, buyer, ticket, order) = await PaidOrderAsync(25m);
        using var anonymous = _app.CreateUserClient();

        foreach (var caller in new[] { buyer, seller, anonymous })
        {
            using var response = await RefundAsync(caller, order.Id, "Please");
            await response.AssertErrorAsync(HttpStatusCode.Unauthorized);
        }

        Assert.Equal("complete", (await buyer.GetOrderAsync(order.Id)).Status);
        Assert.Equal("sold", (await buyer.GetTicketAsync(ticket.Id)).Status);
        Assert.Empty(_stub.Refunds);
    }

    [Fact]
    public async Task Refund_OfAnOrderThatIsNotPaid_Is400_AndChangesNothing()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var (buyer, _, _) = await _app.SignUpAsync();
        var live = await buyer.ReserveAsync((await seller.ListTicketAsync(price: 12m)).Id);
        var cancelled = await buyer.ReserveAsync((await seller.ListTicketAsync(price: 13m)).Id);
        Assert.Equal(HttpStatusCode.NoContent, (await buyer.DeleteAsync($"/api/orders/{cancelled.Id}")).StatusCode);
        using var admin = await _app.SignInAdminAsync();

        foreach (var order in new[] { live, cancelled })
        {
            using var response = await RefundAsync(admin, order.Id, "Goodwill");
            Assert.Equal("Only a paid order can be refunded", Assert.Single((await response.AssertErrorAsync(HttpStatusCode.BadRequest)).Errors).Message);
        }

        Assert.Equal("created", (await buyer.GetOrderAsync(live.Id)).Status);
        Assert.Empty(_stub.Refunds);
    }

    [Theory]
    [InlineData("{\"ticket\":\"relist\"}", "reason")]
    [InlineData("{\"reason\":\"   \"}", "reason")]
    [InlineData("{\"reason\":\"Goodwill\",\"ticket\":\"burn\"}", "ticket")]
    public async Task Refund_WithBadInput_Is400WithTheField_AndChangesNothing(string body, string field)
    {
        var (_, buyer, _, order) = await PaidOrderAsync(20m);
        using var admin = await _app.SignInAdminAsync();

        using var response = await admin.PostAsync($"/api/orders/{order.Id}/refund", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(field, Assert.Single((await response.AssertErrorAsync(HttpStatusCode.BadRequest)).Errors).Field);
        Assert.Equal("complete", (await buyer.GetOrderAsync(order.Id)).Status);
        Assert.Empty(_stub.Refunds);
    }

    [Fact]
    public async Task Refund_WithATooLongReason_Is400()
    {
        var (_, _, _, order) = await PaidOrderAsync(20m);
        using var admin = await _app.SignInAdminAsync();

        using var response = await RefundAsync(admin, order.Id, new string('x', 501));

        Assert.Equal("reason", Assert.Single((await response.AssertErrorAsync(HttpStatusCode.BadRequest)).Errors).Field);
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("7d5c8e1a-0000-4000-8000-000000000000")]
    public async Task Refund_OfNoSuchOrder_Is404(string id)
    {
        using var admin = await _app.SignInAdminAsync();

        using var response = await admin.PostAsJsonAsync($"/api/orders/{id}/refund", new { reason = "Goodwill" });

        await response.AssertErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Refund_AsFormData_Is415()
    {
        var (_, _, _, order) = await PaidOrderAsync(20m);
        using var admin = await _app.SignInAdminAsync();

        using var response = await admin.PostAsync($"/api/orders/{order.Id}/refund", new FormUrlEncodedContent([new("reason", "Goodwill")]));

        await response.AssertErrorAsync(HttpStatusCode.UnsupportedMediaType);
    }

    private static Task<HttpResponseMessage> RefundAsync(HttpClient client, Guid orderId, string reason, string ticket = "relist") =>
        client.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { reason, ticket });

    /// <summary>A seller's listing bought and paid through Stripe.</summary>
    private async Task<(HttpClient Seller, HttpClient Buyer, TicketDto Ticket, OrderDto Order)> PaidOrderAsync(decimal price)
    {
        var (seller, buyer, ticket, order) = await _app.ReservedTicketAsync(price);
        await buyer.PayAsync(order.Id, "pm_card_visa");
        return (seller, buyer, ticket, order);
    }
}
