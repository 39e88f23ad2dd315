using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api;

public sealed record TicketDto(
    Guid Id, string Title, decimal Price, Guid UserId, int Version, string Status, Guid? OrderId,
    DateTimeOffset? ReservedUntil, DateTimeOffset? EventDate, string? Venue, string? Description);

public sealed record OrderTicketDto(Guid Id, string Title, decimal Price, int Version);

public sealed record OrderDto(Guid Id, Guid UserId, string Status, DateTimeOffset ExpiresAt, int Version, OrderTicketDto Ticket);

public sealed record ErrorDto(string Message, string? Field);

public sealed record ErrorsDto(IReadOnlyList<ErrorDto> Errors);

/// <summary>The calls and checks the API tests share.</summary>
public static class ApiCalls
{
    public static async Task<TicketDto> ListTicketAsync(this HttpClient seller, string title = "Concert", decimal price = 20m)
    {
        var response = await seller.PostAsJsonAsync("/api/tickets", new { title, price });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TicketDto>())!;
    }

    public static async Task<OrderDto> ReserveAsync(this HttpClient buyer, Guid ticketId)
    {
        var response = await buyer.PostAsJsonAsync("/api/orders", new { ticketId });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrderDto>())!;
    }

    public static async Task<Guid> PayAsync(this HttpClient buyer, Guid orderId, string token = "tok_visa")
    {
        var response = await buyer.PostAsJsonAsync("/api/payments", new { orderId, token });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<TicketDto> GetTicketAsync(this HttpClient client, Guid ticketId) =>
        (await client.GetFromJsonAsync<TicketDto>($"/api/tickets/{ticketId}"))!;

    public static async Task<OrderDto> GetOrderAsync(this HttpClient client, Guid orderId) =>
        (await client.GetFromJsonAsync<OrderDto>($"/api/orders/{orderId}"))!;

    /// <summary>A seller with a listing and a buyer holding an order for it.</summary>
    public static async Task<(HttpClient Seller, HttpClient Buyer, TicketDto Ticket, OrderDto Order)> ReservedTicketAsync(this TicketingApp app, decimal price = 20m)
    {
        var (seller, _, _) = await app.SignUpAsync();
        var (buyer, _, _) = await app.SignUpAsync();
        var ticket = await seller.ListTicketAsync(price: price);
        var order = await buyer.ReserveAsync(ticket.Id);
        return (seller, buyer, ticket, order);
    }

    public static HttpContent Raw(string body, string? contentType = "application/json")
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return content;
    }

    /// <summary>Asserts the status and the errors shape, and the first error's message and field when given.</summary>
    public static async Task<ErrorsDto> AssertErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string? message = null, string? field = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(text);
        var errors = document.RootElement.GetProperty("errors");
        Assert.Equal(JsonValueKind.Array, errors.ValueKind);
        Assert.NotEqual(0, errors.GetArrayLength());
        foreach (var error in errors.EnumerateArray())
        {
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
            if (error.TryGetProperty("field", out var f))
            {
                Assert.Equal(JsonValueKind.String, f.ValueKind);
            }
        }

        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        var parsed = JsonSerializer.Deserialize<ErrorsDto>(text, JsonSerializerOptions.Web)!;
        if (message is not null)
        {
            Assert.Contains(parsed.Errors, e => e.Message == message);
        }

        if (field is not null)
        {
            Assert.Contains(parsed.Errors, e => e.Field == field && (message is null || e.Message == message));
        }
        else if (message is not null)
        {
            Assert.Null(parsed.Errors.First(e => e.Message == message).Field);
        }

        return parsed;
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();
}

/// <summary>Everything a rejected request must leave untouched.</summary>
public sealed record DatabaseState(int Users, int FailedSignIns, int Tickets, int TicketVersions, int Orders, int OrderVersions, int Payments, int OutboxMessages)
{
    public static async Task<DatabaseState> ReadAsync(TicketingApp app)
    {
        await using var db = app.CreateDbContext();
        return new DatabaseState(
            await db.Users.CountAsync(),
            await db.Users.SumAsync(u => u.AccessFailedCount),
            await db.Tickets.CountAsync(),
            await db.Tickets.SumAsync(t => t.Version),
            await db.Orders.CountAsync(),
            await db.Orders.SumAsync(o => o.Version),
            await db.Payments.CountAsync(),
            await db.OutboxMessages.CountAsync());
    }
}
