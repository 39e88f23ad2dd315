using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Orders;

public sealed class NewOrderTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task Create_WhenAnonymous_Returns401()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        using var anonymous = _app.CreateUserClient();

        var response = await anonymous.PostAsJsonAsync("/api/orders", new { ticketId = ticket.Id });

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("available", (await anonymous.GetTicketAsync(ticket.Id)).Status);
    }

    [Fact]
    public async Task Create_ForUnknownTicket_Returns404()
    {
        var (buyer, _, _) = await _app.SignUpAsync();

        var response = await buyer.PostAsJsonAsync("/api/orders", new { ticketId = Guid.NewGuid() });

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "Ticket not found");
    }

    [Fact]
    public async Task Create_WithoutTicketId_Returns400OnTicketId()
    {
        var (buyer, _, _) = await _app.SignUpAsync();

        var response = await buyer.PostAsJsonAsync("/api/orders", new { });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Ticket id is required", "ticketId");
    }

    [Theory]
    [InlineData("\"not-a-guid\"")]
    [InlineData("\"\"")]
    [InlineData("12345")]
    [InlineData("{}")]
    public async Task Create_WithMalformedTicketId_Returns400OnTicketId(string ticketId)
    {
        var (buyer, _, _) = await _app.SignUpAsync();

        var response = await buyer.PostAsync("/api/orders", ApiCalls.Raw($$"""{"ticketId":{{ticketId}}}"""));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "ticketId must be a valid id", "ticketId");
    }

    [Fact]
    public async Task Create_ForAReservedTicket_Returns400AlreadyReserved()
    {
        var (_, _, ticket, _) = await _app.ReservedTicketAsync();
        var (late, _, _) = await _app.SignUpAsync();

        var response = await late.PostAsJsonAsync("/api/orders", new { ticketId = ticket.Id });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Ticket is already reserved");
    }

    [Fact]
    public async Task Create_ForOwnTicket_Returns400()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();

        var response = await seller.PostAsJsonAsync("/api/orders", new { ticketId = ticket.Id });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "You cannot buy your own ticket");
        Assert.Equal("available", (await seller.GetTicketAsync(ticket.Id)).Status);
    }

    [Fact]
    public async Task Create_ForAnAvailableTicket_Returns201CreatedOrderExpiringAfterTheWindow()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync("Concert", 42.5m);
        var (buyer, buyerId, _) = await _app.SignUpAsync();
        var before = DateTimeOffset.UtcNow;

        var response = await buyer.PostAsJsonAsync("/api/orders", new { ticketId = ticket.Id, userId = Guid.NewGuid(), status = "complete" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var order = body.Deserialize<OrderDto>(JsonSerializerOptions.Web)!;
        Assert.Equal(buyerId, order.UserId);
        Assert.Equal("created", order.Status);
        Assert.Equal(0, order.Version);
        Assert.Equal(new OrderTicketDto(ticket.Id, "Concert", 42.5m, 1), order.Ticket);
        Assert.InRange(order.ExpiresAt, before.AddMinutes(15).AddSeconds(-1), DateTimeOffset.UtcNow.AddMinutes(15).AddSeconds(1));
        Assert.EndsWith("Z", body.GetProperty("expiresAt").GetString(), StringComparison.Ordinal);
        Assert.Equal($"/api/orders/{order.Id}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Create_ForAnAvailableTicket_LocksTheTicket()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        var (buyer, _, _) = await _app.SignUpAsync();

        var order = await buyer.ReserveAsync(ticket.Id);

        var locked = await buyer.GetTicketAsync(ticket.Id);
        Assert.Equal(("reserved", (Guid?)order.Id, (DateTimeOffset?)order.ExpiresAt, 1), (locked.Status, locked.OrderId, locked.ReservedUntil, locked.Version));
        await using var db = _app.CreateDbContext();
        Assert.Equal(1, await db.Orders.CountAsync(o => o.TicketId == ticket.Id));
    }

    [Fact]
    public async Task Create_ByTwoBuyersAtOnce_ReservesTheTicketOnce()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        var buyers = new List<HttpClient>();
        for (var i = 0; i < 4; i++)
        {
            buyers.Add((await _app.SignUpAsync()).Client);
        }

        var responses = await Task.WhenAll(buyers.Select(b => b.PostAsJsonAsync("/api/orders", new { ticketId = ticket.Id })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var lost in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await lost.AssertErrorAsync(HttpStatusCode.BadRequest, "Ticket is already reserved");
        }
    }
}
