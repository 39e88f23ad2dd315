using System.Net;
using System.Net.Http.Json;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Tickets;

public sealed class ListTicketsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task List_WhenAnonymous_Returns200WithListings()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var first = await seller.ListTicketAsync("First");
        var second = await seller.ListTicketAsync("Second");
        using var anonymous = _app.CreateUserClient();

        var response = await anonymous.GetAsync("/api/tickets");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tickets = (await response.Content.ReadFromJsonAsync<List<TicketDto>>())!;
        Assert.Contains(first, tickets);
        Assert.Contains(second, tickets);
        Assert.True(tickets.IndexOf(second) < tickets.IndexOf(first), "Newest listings come first.");
    }

    [Fact]
    public async Task List_WithStatusFilter_ReturnsOnlyThatStatus()
    {
        var (_, _, reserved, _) = await _app.ReservedTicketAsync();
        var (seller, _, _) = await _app.SignUpAsync();
        var available = await seller.ListTicketAsync();
        using var anonymous = _app.CreateUserClient();

        var availableOnes = (await anonymous.GetFromJsonAsync<List<TicketDto>>("/api/tickets?status=available"))!;
        var reservedOnes = (await anonymous.GetFromJsonAsync<List<TicketDto>>("/api/tickets?status=reserved"))!;

        Assert.All(availableOnes, t => Assert.Equal("available", t.Status));
        Assert.Contains(availableOnes, t => t.Id == available.Id);
        Assert.DoesNotContain(availableOnes, t => t.Id == reserved.Id);
        Assert.All(reservedOnes, t => Assert.Equal("reserved", t.Status));
        Assert.Contains(reservedOnes, t => t.Id == reserved.Id);
    }

    [Fact]
    public async Task List_WithSoldFilter_ReturnsSoldTickets()
    {
        var (_, buyer, ticket, order) = await _app.ReservedTicketAsync();
        await buyer.PayAsync(order.Id);
        using var anonymous = _app.CreateUserClient();

        var sold = (await anonymous.GetFromJsonAsync<List<TicketDto>>("/api/tickets?status=sold"))!;

        Assert.Contains(sold, t => t.Id == ticket.Id && t.Status == "sold" && t.OrderId == order.Id && t.ReservedUntil is null);
    }

    [Fact]
    public async Task List_ShowsEachTicketExactlyAsItsOwnPageDoes()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var (buyer, _, _) = await _app.SignUpAsync();
        var detailed = (await (await seller.PostAsJsonAsync("/api/tickets", new
        {
            title = "Detailed",
            price = 42.25m,
            eventDate = "2027-05-06T19:00:00+02:00",
            venue = "Venue",
            description = "Description",
        })).Content.ReadFromJsonAsync<TicketDto>())!;
        var edited = await seller.ListTicketAsync("Edited");
        (await seller.PutAsJsonAsync($"/api/tickets/{edited.Id}", new { title = "Edited again", price = 7m, venue = "Elsewhere" })).EnsureSuccessStatusCode();
        var reserved = await seller.ListTicketAsync("Reserved");
        await buyer.ReserveAsync(reserved.Id);
        var sold = await seller.ListTicketAsync("Sold");
        await buyer.PayAsync((await buyer.ReserveAsync(sold.Id)).Id);
        using var anonymous = _app.CreateUserClient();

        var listed = (await anonymous.GetFromJsonAsync<List<TicketDto>>("/api/tickets"))!;

        foreach (var id in new[] { detailed.Id, edited.Id, reserved.Id, sold.Id })
        {
            Assert.Equal(await anonymous.GetTicketAsync(id), Assert.Single(listed, t => t.Id == id));
        }
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("available,sold")]
    [InlineData("1")]
    public async Task List_WithUnknownStatus_Returns400OnStatus(string status)
    {
        using var anonymous = _app.CreateUserClient();

        var response = await anonymous.GetAsync($"/api/tickets?status={Uri.EscapeDataString(status)}");

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, field: "status");
    }
}
