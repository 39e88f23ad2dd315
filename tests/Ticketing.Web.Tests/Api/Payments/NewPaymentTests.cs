using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Payments;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Payments;

public sealed class NewPaymentTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TicketingApp _app = fixture.App;

    [Theory]
    [InlineData("tok_visa")]
    [InlineData("pm_card_visa")]
    public async Task Pay_WithASucceedingToken_Returns201AndCompletesTheOrderAndSellsTheTicket(string token)
    {
        var (_, buyer, ticket, order) = await _app.ReservedTicketAsync(price: 25.5m);

        var response = await buyer.PostAsJsonAsync("/api/payments", new { orderId = order.Id, token });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(["id"], body.EnumerateObject().Select(p => p.Name));
        var paymentId = body.GetProperty("id").GetGuid();
        await using var db = _app.CreateDbContext();
        var payment = await db.Payments.SingleAsync(p => p.OrderId == order.Id);
        Assert.Equal((paymentId, 2550L, "usd", PaymentStatus.Succeeded), (payment.Id, payment.AmountMinor, payment.Currency, payment.Status));
        Assert.Equal("complete", (await buyer.GetOrderAsync(order.Id)).Status);
        var sold = await buyer.GetTicketAsync(ticket.Id);
        Assert.Equal(("sold", (Guid?)order.Id, (DateTimeOffset?)null), (sold.Status, sold.OrderId, sold.ReservedUntil));
    }

    [Theory]
    [InlineData("tok_chargeDeclined")]
    [InlineData("pm_card_chargeDeclined")]
    public async Task Pay_WithADeclinedCard_Returns402AndTheOrderStaysPayable(string token)
    {
        var (_, buyer, ticket, order) = await _app.ReservedTicketAsync();

        var declined = await buyer.PostAsJsonAsync("/api/payments", new { orderId = order.Id, token });

        await declined.AssertErrorAsync(HttpStatusCode.PaymentRequired);
        Assert.Equal("created", (await buyer.GetOrderAsync(order.Id)).Status);
        Assert.Equal("reserved", (await buyer.GetTicketAsync(ticket.Id)).Status);
        await using (var db = _app.CreateDbContext())
        {
            Assert.False(await db.Payments.AnyAsync(p => p.OrderId == order.Id));
        }

        await buyer.PayAsync(order.Id, "tok_visa");
        Assert.Equal("complete", (await buyer.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task Pay_WithAnUnknownToken_Returns400OnToken()
    {
        var (_, buyer, _, order) = await _app.ReservedTicketAsync();

        var response = await buyer.PostAsJsonAsync("/api/payments", new { orderId = order.Id, token = "tok_made_up" });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Unknown payment token", "token");
        var untouched = await buyer.GetOrderAsync(order.Id);
        Assert.Equal(("created", 0), (untouched.Status, untouched.Version));
    }

    [Fact]
    public async Task Pay_WhenAnonymous_Returns401()
    {
        var (_, buyer, _, order) = await _app.ReservedTicketAsync();
        using var anonymous = _app.CreateUserClient();

        var response = await anonymous.PostAsJsonAsync("/api/payments", new { orderId = order.Id, token = "tok_visa" });

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("created", (await buyer.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task Pay_ForAnUnknownOrder_Returns404()
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.PostAsJsonAsync("/api/payments", new { orderId = Guid.NewGuid(), token = "tok_visa" });

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "Order not found");
    }

    [Fact]
    public async Task Pay_SomeoneElsesOrder_Returns401()
    {
        var (seller, buyer, _, order) = await _app.ReservedTicketAsync();

        var response = await seller.PostAsJsonAsync("/api/payments", new { orderId = order.Id, token = "tok_visa" });

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("created", (await buyer.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task Pay_ACancelledOrder_Returns400()
    {
        var (_, buyer, _, order) = await _app.ReservedTicketAsync();
        await buyer.DeleteAsync($"/api/orders/{order.Id}");

        var response = await buyer.PostAsJsonAsync("/api/payments", new { orderId = order.Id, token = "tok_visa" });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Order has been cancelled");
        Assert.Equal("cancelled", (await buyer.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task Pay_AnOrderAlreadyPaid_Returns400AndKeepsOnePayment()
    {
        var (_, buyer, _, order) = await _app.ReservedTicketAsync();
        await buyer.PayAsync(order.Id);

        var response = await buyer.PostAsJsonAsync("/api/payments", new { orderId = order.Id, token = "tok_visa" });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Order has already been paid");
        await using var db = _app.CreateDbContext();
        Assert.Equal(1, await db.Payments.CountAsync(p => p.OrderId == order.Id));
    }

    [Fact]
    public async Task Pay_WithoutOrderId_Returns400OnOrderId()
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.PostAsJsonAsync("/api/payments", new { token = "tok_visa" });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Order id is required", "orderId");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Pay_WithoutToken_Returns400OnToken(string? token)
    {
        var (_, buyer, _, order) = await _app.ReservedTicketAsync();

        var response = await buyer.PostAsJsonAsync("/api/payments", new { orderId = order.Id, token });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, field: "token");
    }

    [Fact]
    public async Task Pay_WithAMalformedOrderId_Returns400OnOrderId()
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.PostAsJsonAsync("/api/payments", new { orderId = "12345", token = "tok_visa" });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "orderId must be a valid id", "orderId");
    }
}
