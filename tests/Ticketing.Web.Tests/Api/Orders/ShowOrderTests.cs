using System.Net;
using System.Text.Json;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Orders;

public sealed class ShowOrderTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task Show_WhenAnonymous_Returns401()
    {
        var (_, _, _, order) = await _app.ReservedTicketAsync();
        using var anonymous = _app.CreateUserClient();

        var response = await anonymous.GetAsync($"/api/orders/{order.Id}");

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Show_SomeoneElsesOrder_Returns401()
    {
        var (seller, _, _, order) = await _app.ReservedTicketAsync();

        var response = await seller.GetAsync($"/api/orders/{order.Id}");

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Show_UnknownOrder_Returns404()
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.GetAsync($"/api/orders/{Guid.NewGuid()}");

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "Order not found");
    }

    [Fact]
    public async Task Show_MalformedId_Returns404()
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.GetAsync("/api/orders/12345");

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "Order not found");
    }

    [Fact]
    public async Task Show_OwnOrder_Returns200()
    {
        var (_, buyer, ticket, order) = await _app.ReservedTicketAsync();

        var response = await buyer.GetAsync($"/api/orders/{order.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var shown = body.Deserialize<OrderDto>(JsonSerializerOptions.Web)!;
        Assert.Equal(order, shown);
        Assert.Equal(ticket.Id, shown.Ticket.Id);
        Assert.Equal(["id", "userId", "status", "expiresAt", "version", "ticket"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["id", "title", "price", "version"], body.GetProperty("ticket").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Show_AnyOrderAsAdmin_Returns200()
    {
        var (_, _, _, order) = await _app.ReservedTicketAsync();
        using var admin = await _app.SignInAdminAsync();

        var response = await admin.GetAsync($"/api/orders/{order.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
