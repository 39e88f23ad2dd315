using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Tickets;

public sealed class CreateTicketTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private static readonly string[] TicketMembers =
        ["id", "title", "price", "userId", "version", "status", "orderId", "reservedUntil", "eventDate", "venue", "description"];

    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task Create_WhenAnonymous_Returns401()
    {
        using var client = _app.CreateUserClient();

        var response = await client.PostAsJsonAsync("/api/tickets", new { title = "Concert", price = 10 });

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Create_WhenSignedIn_DoesNotReturn401()
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.PostAsJsonAsync("/api/tickets", new { });

        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task Create_WithEmptyTitle_Returns400(string? title)
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.PostAsJsonAsync("/api/tickets", new { title, price = 10 });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Title is required", "title");
    }

    [Fact]
    public async Task Create_WithTitleOver120Characters_Returns400()
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.PostAsJsonAsync("/api/tickets", new { title = new string('t', 121), price = 10 });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Title must be at most 120 characters", "title");
    }

    [Theory]
    [InlineData("-10")]
    [InlineData("0")]
    [InlineData("10.001")]
    [InlineData("1000000.01")]
    [InlineData("\"10\"")]
    [InlineData("\"abc\"")]
    [InlineData("null")]
    [InlineData("true")]
    public async Task Create_WithInvalidPrice_Returns400OnPrice(string price)
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.PostAsync("/api/tickets", ApiCalls.Raw($$"""{"title":"Concert","price":{{price}}}"""));

        var errors = await response.AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("price", Assert.Single(errors.Errors).Field);
    }

    [Fact]
    public async Task Create_WithMissingPrice_Returns400OnPrice()
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.PostAsJsonAsync("/api/tickets", new { title = "Concert" });

        var errors = await response.AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("price", Assert.Single(errors.Errors).Field);
    }

    [Fact]
    public async Task Create_WithValidInput_Returns201TicketAtVersion0()
    {
        var (client, userId, _) = await _app.SignUpAsync();

        var response = await client.PostAsJsonAsync("/api/tickets", new { title = "  Concert  ", price = 1_000_000.00m });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var ticket = (await response.Content.ReadFromJsonAsync<TicketDto>())!;
        Assert.Equal("Concert", ticket.Title);
        Assert.Equal(1_000_000m, ticket.Price);
        Assert.Equal(userId, ticket.UserId);
        Assert.Equal(0, ticket.Version);
        Assert.Equal("available", ticket.Status);
        Assert.Equal($"/api/tickets/{ticket.Id}", response.Headers.Location?.OriginalString);
        await using var db = _app.CreateDbContext();
        Assert.True(await db.Tickets.AnyAsync(t => t.Id == ticket.Id && t.SellerId == userId));
    }

    [Fact]
    public async Task Create_WithoutOptionalFields_SendsEveryMemberWithNulls()
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.PostAsJsonAsync("/api/tickets", new { title = "Concert", price = 20.5 });

        var body = await response.ReadJsonAsync();
        Assert.Equal(TicketMembers, body.EnumerateObject().Select(p => p.Name));
        foreach (var member in new[] { "orderId", "reservedUntil", "eventDate", "venue", "description" })
        {
            Assert.Equal(JsonValueKind.Null, body.GetProperty(member).ValueKind);
        }

        Assert.Equal(20.5m, body.GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task Create_WithOptionalFields_ReturnsThemWithTheEventDateInUtc()
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.PostAsJsonAsync("/api/tickets", new
        {
            title = "Opera",
            price = 99.99,
            eventDate = "2031-06-01T20:30:00+02:00",
            venue = "  Royal Opera House ",
            description = "Row F",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("2031-06-01T18:30:00Z", body.GetProperty("eventDate").GetString());
        Assert.Equal("Royal Opera House", body.GetProperty("venue").GetString());
        Assert.Equal("Row F", body.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Create_WithEventDateWithoutOffset_TakesItAsUtc()
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.PostAsJsonAsync("/api/tickets", new { title = "Opera", price = 10, eventDate = "2031-06-01T20:30:00" });

        Assert.Equal("2031-06-01T20:30:00Z", (await response.ReadJsonAsync()).GetProperty("eventDate").GetString());
    }

    [Theory]
    [InlineData("venue", 121, "Venue must be at most 120 characters")]
    [InlineData("description", 2001, "Description must be at most 2000 characters")]
    public async Task Create_WithOverlongOptionalText_Returns400(string field, int length, string message)
    {
        var (client, _, _) = await _app.SignUpAsync();
        var body = new Dictionary<string, object> { ["title"] = "Concert", ["price"] = 10, [field] = new string('x', length) };

        var response = await client.PostAsJsonAsync("/api/tickets", body);

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, message, field);
    }

    [Fact]
    public async Task Create_WithMalformedEventDate_Returns400OnEventDate()
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.PostAsJsonAsync("/api/tickets", new { title = "Opera", price = 10, eventDate = "next friday" });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "eventDate must be an ISO 8601 timestamp", "eventDate");
    }

    [Fact]
    public async Task Create_WithFieldsTheClientMayNotSet_IgnoresThem()
    {
        var (client, userId, _) = await _app.SignUpAsync();

        var response = await client.PostAsJsonAsync("/api/tickets", new
        {
            title = "Concert",
            price = 10,
            userId = Guid.NewGuid(),
            version = 7,
            status = "sold",
            orderId = Guid.NewGuid(),
            reservedUntil = DateTimeOffset.UtcNow,
            id = Guid.Empty,
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var ticket = (await response.Content.ReadFromJsonAsync<TicketDto>())!;
        Assert.Equal(userId, ticket.UserId);
        Assert.Equal(0, ticket.Version);
        Assert.Equal("available", ticket.Status);
        Assert.Null(ticket.OrderId);
        Assert.Null(ticket.ReservedUntil);
        Assert.NotEqual(Guid.Empty, ticket.Id);
    }
}
