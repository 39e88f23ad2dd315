using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Tickets;

public sealed class UpdateTicketTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task Update_UnknownTicket_Returns404()
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.PutAsJsonAsync($"/api/tickets/{Guid.NewGuid()}", new { title = "Concert", price = 10 });

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "Ticket not found");
    }

    [Fact]
    public async Task Update_MalformedId_Returns404()
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.PutAsJsonAsync("/api/tickets/not-a-guid", new { title = "Concert", price = 10 });

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "Ticket not found");
    }

    [Fact]
    public async Task Update_WithAnInvalidBody_OfAnUnknownTicket_Returns404_OfSomeoneElses_Returns401()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var (stranger, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        var invalid = new { title = "   ", price = -5 };

        var unknown = await seller.PutAsJsonAsync($"/api/tickets/{Guid.NewGuid()}", invalid);
        var notTheirs = await stranger.PutAsJsonAsync($"/api/tickets/{ticket.Id}", invalid);
        var theirs = await seller.PutAsJsonAsync($"/api/tickets/{ticket.Id}", invalid);

        await unknown.AssertErrorAsync(HttpStatusCode.NotFound, "Ticket not found");
        await notTheirs.AssertErrorAsync(HttpStatusCode.Unauthorized);
        await theirs.AssertErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Update_WhenAnonymous_Returns401()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        using var anonymous = _app.CreateUserClient();

        var response = await anonymous.PutAsJsonAsync($"/api/tickets/{ticket.Id}", new { title = "Mine now", price = 1 });

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(ticket, await anonymous.GetTicketAsync(ticket.Id));
    }

    [Fact]
    public async Task Update_ByAnotherUser_Returns401AndChangesNothing()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        var (other, _, _) = await _app.SignUpAsync();

        var response = await other.PutAsJsonAsync($"/api/tickets/{ticket.Id}", new { title = "Mine now", price = 1 });

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(ticket, await other.GetTicketAsync(ticket.Id));
    }

    [Fact]
    public async Task Update_ByAnAdmin_Returns200()
    {
        var (seller, sellerId, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        using var admin = await _app.SignInAdminAsync();

        var response = await admin.PutAsJsonAsync($"/api/tickets/{ticket.Id}", new { title = "Moderated", price = 12 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = (await response.Content.ReadFromJsonAsync<TicketDto>())!;
        Assert.Equal("Moderated", updated.Title);
        Assert.Equal(sellerId, updated.UserId);
    }

    [Theory]
    [InlineData("", 10, "title")]
    [InlineData("   ", 10, "title")]
    [InlineData("Concert", -10, "price")]
    [InlineData("Concert", 0, "price")]
    public async Task Update_WithInvalidInput_Returns400(string title, decimal price, string field)
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();

        var response = await seller.PutAsJsonAsync($"/api/tickets/{ticket.Id}", new { title, price });

        var errors = await response.AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal(field, Assert.Single(errors.Errors).Field);
        Assert.Equal(ticket, await seller.GetTicketAsync(ticket.Id));
    }

    [Fact]
    public async Task Update_WithValidInput_Returns200AndBumpsTheVersion()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync("Concert", 10);

        var response = await seller.PutAsJsonAsync($"/api/tickets/{ticket.Id}", new { title = "New title", price = 100, venue = "Hall", version = 0 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = (await response.Content.ReadFromJsonAsync<TicketDto>())!;
        Assert.Equal(ticket with { Title = "New title", Price = 100, Venue = "Hall", Version = 1 }, updated);
        Assert.Equal(updated, await seller.GetTicketAsync(ticket.Id));
    }

    [Fact]
    public async Task Update_WithTheValuesTheListingHas_StillReturnsVersionPlusOne()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync("Concert", 10);

        var response = await seller.PutAsJsonAsync($"/api/tickets/{ticket.Id}", new { title = "Concert", price = 10 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ticket with { Version = 1 }, await response.Content.ReadFromJsonAsync<TicketDto>());
        Assert.Equal(1, (await seller.GetTicketAsync(ticket.Id)).Version);
    }

    /// <summary>
    /// Edits sent without a version do not ask about the one they replace: thirty at once all succeed,
    /// one after another, each answered with its own version, and the last saved is what the listing holds.
    /// A 409 is kept for a version sent and stale.
    /// </summary>
    [Fact]
    public async Task ParallelUpdates_WithoutAVersion_AllSucceed_EachWithItsOwnVersion()
    {
        const int Edits = 30;
        var (seller, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync("Concert", 10);
        using var start = new SemaphoreSlim(0);

        var edits = Enumerable.Range(1, Edits).Select(async i =>
        {
            await start.WaitAsync();
            return await seller.PutAsJsonAsync($"/api/tickets/{ticket.Id}", new { title = $"Concert, take {i}", price = 10 + i });
        }).ToList();
        start.Release(Edits);
        var responses = await Task.WhenAll(edits);

        var answers = new List<TicketDto>();
        foreach (var response in responses)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            answers.Add((await response.Content.ReadFromJsonAsync<TicketDto>())!);
        }

        Assert.Equal(Enumerable.Range(1, Edits), answers.Select(a => a.Version).Order());
        var current = await seller.GetTicketAsync(ticket.Id);
        Assert.Equal(answers.Single(a => a.Version == Edits), current);
    }

    [Fact]
    public async Task Update_WithStaleVersion_Returns409AndChangesNothing()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync("Concert", 10);
        await seller.PutAsJsonAsync($"/api/tickets/{ticket.Id}", new { title = "Second", price = 10, version = 0 });

        var response = await seller.PutAsJsonAsync($"/api/tickets/{ticket.Id}", new { title = "Third", price = 10, version = 0 });

        await response.AssertErrorAsync(HttpStatusCode.Conflict);
        var current = await seller.GetTicketAsync(ticket.Id);
        Assert.Equal("Second", current.Title);
        Assert.Equal(1, current.Version);
    }

    [Fact]
    public async Task Update_WhenReserved_Returns400CannotEditAReservedTicket()
    {
        var (seller, _, ticket, _) = await _app.ReservedTicketAsync();

        var response = await seller.PutAsJsonAsync($"/api/tickets/{ticket.Id}", new { title = "New title", price = 999 });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Cannot edit a reserved ticket");
        var current = await seller.GetTicketAsync(ticket.Id);
        Assert.Equal(ticket.Price, current.Price);
        Assert.Equal("reserved", current.Status);
    }

    [Fact]
    public async Task Update_WhenSold_Returns400CannotEditAReservedTicket()
    {
        var (seller, buyer, ticket, order) = await _app.ReservedTicketAsync();
        await buyer.PayAsync(order.Id);

        var response = await seller.PutAsJsonAsync($"/api/tickets/{ticket.Id}", new { title = "New title", price = 999 });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Cannot edit a reserved ticket");
    }

    [Fact]
    public async Task Update_WithFieldsTheClientMayNotSet_IgnoresThem()
    {
        var (seller, sellerId, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();

        var response = await seller.PutAsJsonAsync($"/api/tickets/{ticket.Id}", new
        {
            title = "Changed",
            price = 10,
            userId = Guid.NewGuid(),
            status = "sold",
            orderId = Guid.NewGuid(),
            id = Guid.NewGuid(),
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = (await response.Content.ReadFromJsonAsync<TicketDto>())!;
        Assert.Equal((ticket.Id, sellerId, "available", (Guid?)null), (updated.Id, updated.UserId, updated.Status, updated.OrderId));
        await using var db = _app.CreateDbContext();
        Assert.Equal(sellerId, await db.Tickets.Where(t => t.Id == ticket.Id).Select(t => t.SellerId).SingleAsync());
    }
}
