using System.Net;
using System.Net.Http.Json;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Orders;

public sealed class ListOrdersTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task List_WhenAnonymous_Returns401()
    {
        using var anonymous = _app.CreateUserClient();

        var response = await anonymous.GetAsync("/api/orders");

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task List_ReturnsOnlyTheCallersOrdersOldestFirst()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var tickets = new[] { await seller.ListTicketAsync("One"), await seller.ListTicketAsync("Two"), await seller.ListTicketAsync("Three") };
        var (buyer, buyerId, _) = await _app.SignUpAsync();
        var (other, _, _) = await _app.SignUpAsync();
        var first = await buyer.ReserveAsync(tickets[0].Id);
        await other.ReserveAsync(tickets[1].Id);
        var second = await buyer.ReserveAsync(tickets[2].Id);

        var response = await buyer.GetAsync("/api/orders");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var orders = (await response.Content.ReadFromJsonAsync<List<OrderDto>>())!;
        Assert.Equal([first.Id, second.Id], orders.Select(o => o.Id));
        Assert.All(orders, o => Assert.Equal(buyerId, o.UserId));
        Assert.Equal(["One", "Three"], orders.Select(o => o.Ticket.Title));
    }

    [Fact]
    public async Task List_WithNoOrders_ReturnsAnEmptyArray()
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.GetAsync("/api/orders");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[]", await response.Content.ReadAsStringAsync());
    }
}
