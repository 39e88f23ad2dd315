using System.Net;
using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Orders;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Orders;

public sealed class CancelOrderTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task Cancel_OwnOrder_Returns204AndUnlocksTheTicket()
    {
        var (_, buyer, ticket, order) = await _app.ReservedTicketAsync();

        var response = await buyer.DeleteAsync($"/api/orders/{order.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var cancelled = await buyer.GetOrderAsync(order.Id);
        Assert.Equal(("cancelled", 1), (cancelled.Status, cancelled.Version));
        var unlocked = await buyer.GetTicketAsync(ticket.Id);
        Assert.Equal(("available", (Guid?)null, (DateTimeOffset?)null), (unlocked.Status, unlocked.OrderId, unlocked.ReservedUntil));
    }

    [Fact]
    public async Task Cancel_ThenAnotherBuyer_CanReserveTheTicket()
    {
        var (_, buyer, ticket, order) = await _app.ReservedTicketAsync();
        await buyer.DeleteAsync($"/api/orders/{order.Id}");
        var (next, _, _) = await _app.SignUpAsync();

        var reserved = await next.ReserveAsync(ticket.Id);

        Assert.Equal("created", reserved.Status);
    }

    [Fact]
    public async Task Cancel_WhenAnonymous_Returns401()
    {
        var (_, buyer, _, order) = await _app.ReservedTicketAsync();
        using var anonymous = _app.CreateUserClient();

        var response = await anonymous.DeleteAsync($"/api/orders/{order.Id}");

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("created", (await buyer.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task Cancel_SomeoneElsesOrder_Returns401()
    {
        var (seller, buyer, _, order) = await _app.ReservedTicketAsync();

        var response = await seller.DeleteAsync($"/api/orders/{order.Id}");

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("created", (await buyer.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task Cancel_AsAdmin_Returns204WithReasonAdmin()
    {
        var (_, buyer, _, order) = await _app.ReservedTicketAsync();
        using var admin = await _app.SignInAdminAsync();

        var response = await admin.DeleteAsync($"/api/orders/{order.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await using var db = _app.CreateDbContext();
        Assert.Equal(CancellationReason.Admin, await db.Orders.Where(o => o.Id == order.Id).Select(o => o.CancellationReason).SingleAsync());
        Assert.Equal("cancelled", (await buyer.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task Cancel_UnknownOrder_Returns404()
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.DeleteAsync($"/api/orders/{Guid.NewGuid()}");

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "Order not found");
    }

    [Fact]
    public async Task Cancel_MalformedId_Returns404()
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.DeleteAsync("/api/orders/not-a-guid");

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "Order not found");
    }

    [Fact]
    public async Task Cancel_CompleteOrder_Returns400AndTheTicketStaysSold()
    {
        var (_, buyer, ticket, order) = await _app.ReservedTicketAsync();
        await buyer.PayAsync(order.Id);

        var response = await buyer.DeleteAsync($"/api/orders/{order.Id}");

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Order has already been paid");
        Assert.Equal("complete", (await buyer.GetOrderAsync(order.Id)).Status);
        Assert.Equal("sold", (await buyer.GetTicketAsync(ticket.Id)).Status);
    }

    [Fact]
    public async Task Cancel_CancelledOrderAgain_Returns204AndChangesNothing()
    {
        var (_, buyer, _, order) = await _app.ReservedTicketAsync();
        await buyer.DeleteAsync($"/api/orders/{order.Id}");

        var response = await buyer.DeleteAsync($"/api/orders/{order.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(1, (await buyer.GetOrderAsync(order.Id)).Version);
    }
}
