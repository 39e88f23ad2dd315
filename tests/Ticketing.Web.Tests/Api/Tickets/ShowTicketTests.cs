using System.Net;
using System.Net.Http.Json;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Tickets;

public sealed class ShowTicketTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task Show_UnknownTicket_Returns404()
    {
        using var client = _app.CreateUserClient();

        var response = await client.GetAsync($"/api/tickets/{Guid.NewGuid()}");

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "Ticket not found");
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("123")]
    [InlineData("5f1c0e2a-9b7d-4c3e-8f6a")]
    public async Task Show_MalformedId_Returns404(string id)
    {
        using var client = _app.CreateUserClient();

        var response = await client.GetAsync($"/api/tickets/{id}");

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "Ticket not found");
    }

    [Fact]
    public async Task Show_ExistingTicket_Returns200ToAnonymousCallers()
    {
        var (seller, sellerId, _) = await _app.SignUpAsync();
        var created = await seller.ListTicketAsync("Jazz night", 35.5m);
        using var anonymous = _app.CreateUserClient();

        var response = await anonymous.GetAsync($"/api/tickets/{created.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ticket = (await response.Content.ReadFromJsonAsync<TicketDto>())!;
        Assert.Equal(created, ticket);
        Assert.Equal("Jazz night", ticket.Title);
        Assert.Equal(35.5m, ticket.Price);
        Assert.Equal(sellerId, ticket.UserId);
    }

    [Fact]
    public async Task Show_ReservedTicket_ShowsTheOrderAndReservedUntilInUtc()
    {
        var (_, _, ticket, order) = await _app.ReservedTicketAsync();
        using var anonymous = _app.CreateUserClient();

        var body = await (await anonymous.GetAsync($"/api/tickets/{ticket.Id}")).ReadJsonAsync();

        Assert.Equal("reserved", body.GetProperty("status").GetString());
        Assert.Equal(order.Id, body.GetProperty("orderId").GetGuid());
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        var reservedUntil = body.GetProperty("reservedUntil").GetString()!;
        Assert.EndsWith("Z", reservedUntil, StringComparison.Ordinal);
        Assert.Equal(order.ExpiresAt, DateTimeOffset.Parse(reservedUntil, System.Globalization.CultureInfo.InvariantCulture));
    }
}
