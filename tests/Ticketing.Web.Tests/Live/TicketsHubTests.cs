using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Testing;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Web.Tests.Live;

/// <summary>The live channel as an external client sees it: the .NET SignalR client on a real port.</summary>
public sealed class TicketsHubTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);
    private static readonly string[] TicketMethods = ["TicketCreated", "TicketUpdated", "TicketLocked", "TicketUnlocked", "TicketSold"];

    private readonly TicketingApp _app = new(kestrel: true);
    private readonly BlockingCollection<(string Method, JsonElement Ticket)> _received = new();
    private HubConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_app.BaseAddress, "/hubs/tickets"))
            .Build();
        foreach (var method in TicketMethods)
        {
            _connection.On<JsonElement>(method, ticket => _received.Add((method, ticket)));
        }

        await _connection.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task TicketLifecycle_ArrivesOnceEachInOrderWithinOneSecond_CarryingTheStateOfThatVersion()
    {
        var seller = new Actor(Guid.NewGuid());
        var buyer = new Actor(Guid.NewGuid());
        await using var scope = _app.Services.CreateAsyncScope();
        var listings = scope.ServiceProvider.GetRequiredService<TicketListings>();
        var ticketOrders = scope.ServiceProvider.GetRequiredService<TicketOrders>();
        var payments = scope.ServiceProvider.GetRequiredService<OrderPayments>();

        var ticket = await listings.CreateAsync(seller, new TicketInput("Opera night", 80m));
        AssertNext("TicketCreated", ticket.Id, version: 0, status: "available");

        await listings.EditAsync(seller, ticket.Id, new TicketInput("Opera night", 75m), expectedVersion: 0);
        var updated = AssertNext("TicketUpdated", ticket.Id, version: 1, status: "available");
        Assert.Equal(75m, updated.GetProperty("price").GetDecimal());

        var first = await ticketOrders.ReserveAsync(buyer, ticket.Id);
        var locked = AssertNext("TicketLocked", ticket.Id, version: 2, status: "reserved");
        Assert.Equal(first.Id, locked.GetProperty("orderId").GetGuid());
        Assert.Equal(first.ExpiresAt, locked.GetProperty("reservedUntil").GetDateTimeOffset());
        Assert.EndsWith("Z", locked.GetProperty("reservedUntil").GetString());

        await ticketOrders.CancelAsync(buyer, first.Id);
        var unlocked = AssertNext("TicketUnlocked", ticket.Id, version: 3, status: "available");
        Assert.Equal(JsonValueKind.Null, unlocked.GetProperty("orderId").ValueKind);

        var second = await ticketOrders.ReserveAsync(buyer, ticket.Id);
        AssertNext("TicketLocked", ticket.Id, version: 4, status: "reserved");

        await payments.PayAsync(buyer, second.Id, "tok_visa");
        var sold = AssertNext("TicketSold", ticket.Id, version: 5, status: "sold");
        Assert.Equal(second.Id, sold.GetProperty("orderId").GetGuid());

        // Nothing arrives twice.
        Assert.False(_received.TryTake(out var extra, TimeSpan.FromMilliseconds(500)), $"unexpected {extra.Method}");
    }

    [Fact]
    public async Task TicketPayload_HasEveryMemberOfTheTicketShape_NullsIncluded()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var listings = scope.ServiceProvider.GetRequiredService<TicketListings>();

        var ticket = await listings.CreateAsync(new Actor(Guid.NewGuid()), new TicketInput("Jazz", 20m));

        var pushed = AssertNext("TicketCreated", ticket.Id, version: 0, status: "available");
        var members = pushed.EnumerateObject().Select(p => p.Name).Order().ToArray();
        string[] expected = ["description", "eventDate", "id", "orderId", "price", "reservedUntil", "status", "title", "userId", "venue", "version"];
        Assert.Equal(expected, members);
        Assert.Equal(JsonValueKind.Null, pushed.GetProperty("venue").ValueKind);
    }

    private JsonElement AssertNext(string method, Guid ticketId, int version, string status)
    {
        var clock = Stopwatch.StartNew();
        Assert.True(_received.TryTake(out var next, Deadline), $"{method} v{version} did not arrive within {Deadline.TotalMilliseconds} ms");
        Assert.True(clock.Elapsed < Deadline);
        Assert.Equal(method, next.Method);
        Assert.Equal(ticketId, next.Ticket.GetProperty("id").GetGuid());
        Assert.Equal(version, next.Ticket.GetProperty("version").GetInt32());
        Assert.Equal(status, next.Ticket.GetProperty("status").GetString());
        return next.Ticket;
    }
}
