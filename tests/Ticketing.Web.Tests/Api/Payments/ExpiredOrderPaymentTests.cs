using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Orders;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Payments;

public sealed class ExpiredOrderPaymentTests(ShortReservationFixture fixture) : IClassFixture<ShortReservationFixture>
{
    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task Pay_AfterTheOrderExpired_Returns400AndTakesNoMoney()
    {
        var (_, buyer, ticket, order) = await _app.ReservedTicketAsync();
        await Task.Delay(order.ExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200));

        var response = await buyer.PostAsJsonAsync("/api/payments", new { orderId = order.Id, token = "tok_visa" });

        // Refused by the clock, or by the expiry job if it already ran: either way the window closed.
        var errors = await response.AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains(Assert.Single(errors.Errors).Message, new[] { "Order has expired", "Order has been cancelled" });
        await using var db = _app.CreateDbContext();
        Assert.False(await db.Payments.AnyAsync(p => p.OrderId == order.Id));
        await TicketingApp.WaitUntilAsync(
            async () => (await buyer.GetTicketAsync(ticket.Id)).Status == "available",
            TimeSpan.FromSeconds(30),
            "the expiry job unlocked the ticket");
        Assert.Equal("cancelled", (await buyer.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task Pay_PastExpiresAtBeforeTheExpiryJobRan_Returns400OrderHasExpired()
    {
        // A clock moved just past the window: the order is due, but neither its trigger (real time)
        // nor the overdue sweep (5 s grace) has expired it yet.
        var clock = new ShiftedClock();
        await using var app = new TicketingApp(settings: AppFixture.Settings());
        await using var shifted = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var seller = await SignUpAsync(shifted);
        var buyer = await SignUpAsync(shifted);
        var ticket = await seller.ListTicketAsync();
        var order = await buyer.ReserveAsync(ticket.Id);
        clock.Shift = order.ExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);

        var response = await buyer.PostAsJsonAsync("/api/payments", new { orderId = order.Id, token = "tok_visa" });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Order has expired");
        await using var db = app.CreateDbContext();
        Assert.Equal(OrderStatus.Created, await db.Orders.Where(o => o.Id == order.Id).Select(o => o.Status).SingleAsync());
        Assert.False(await db.Payments.AnyAsync(p => p.OrderId == order.Id));
    }

    private static async Task<HttpClient> SignUpAsync(WebApplicationFactory<Program> factory)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        var response = await client.PostAsJsonAsync("/api/users/signup", new { email = $"clock-{Guid.NewGuid():N}@example.com", password = "correct-horse-battery" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return client;
    }

    private sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Shift { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Shift;
    }
}
