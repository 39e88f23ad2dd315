using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Testing;
using Ticketing.Web.Tests.Api;

namespace Ticketing.Web.Tests.Hosting;

/// <summary>
/// A page whose address names a ticket or an order that is not there answers 404 (403 when it is
/// someone else's), like an address that matches no route, and still shows its own explanation.
/// </summary>
public sealed class MissingRecordPageStatusTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task TicketPage_ForAnIdOfNoListing_Is404_WithThePagesNotFoundContent()
    {
        using var client = _app.CreateUserClient();

        var response = await client.GetAsync($"/tickets/{Guid.Empty}");

        await AssertPageAsync(response, HttpStatusCode.NotFound, "Ticket not found");
    }

    [Fact]
    public async Task TicketPage_ForAWithdrawnListing_Is404()
    {
        var (seller, sellerId, _) = await _app.SignUpAsync();
        var ticketId = await ListAsync(seller);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TicketListings>().WithdrawAsync(new Actor(sellerId), ticketId);
        }

        using var client = _app.CreateUserClient();
        var response = await client.GetAsync($"/tickets/{ticketId}");

        await AssertPageAsync(response, HttpStatusCode.NotFound, "Ticket not found");
    }

    [Fact]
    public async Task TicketPage_ForAListing_Is200_AndForAMalformedId_Still404()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var ticketId = await ListAsync(seller);
        using var client = _app.CreateUserClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/tickets/{ticketId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/tickets/12345")).StatusCode);
    }

    [Fact]
    public async Task EditPage_ForAnIdOfNoListing_Is404_AndForSomeoneElsesListing_403()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var ticketId = await ListAsync(seller);
        var (stranger, _, _) = await _app.SignUpAsync();

        await AssertPageAsync(await stranger.GetAsync($"/tickets/{Guid.NewGuid()}/edit"), HttpStatusCode.NotFound, "Ticket not found");
        await AssertPageAsync(await stranger.GetAsync($"/tickets/{ticketId}/edit"), HttpStatusCode.Forbidden, "Not your listing");
        Assert.Equal(HttpStatusCode.OK, (await seller.GetAsync($"/tickets/{ticketId}/edit")).StatusCode);
    }

    [Fact]
    public async Task OrderPage_ForAnIdOfNoOrder_Is404_AndForSomeoneElsesOrder_403()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var (buyer, _, _) = await _app.SignUpAsync();
        var (stranger, _, _) = await _app.SignUpAsync();
        var order = await (await buyer.PostAsJsonAsync("/api/orders", new { ticketId = await ListAsync(seller) })).Content.ReadFromJsonAsync<JsonElement>();
        var orderId = order.GetProperty("id").GetGuid();

        await AssertPageAsync(await buyer.GetAsync($"/orders/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "Order not found");
        await AssertPageAsync(await stranger.GetAsync($"/orders/{orderId}"), HttpStatusCode.Forbidden, "Not your order");
        Assert.Equal(HttpStatusCode.OK, (await buyer.GetAsync($"/orders/{orderId}")).StatusCode);
    }

    private static async Task<Guid> ListAsync(HttpClient seller)
    {
        var response = await seller.PostAsJsonAsync("/api/tickets", new { title = "Tosca", price = 40 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task AssertPageAsync(HttpResponseMessage response, HttpStatusCode status, string shows)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(shows, await response.Content.ReadAsStringAsync());
    }
}
