using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
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
    private static readonly string[] TicketMethods = ["TicketCreated", "TicketUpdated", "TicketLocked", "TicketUnlocked", "TicketSold", "TicketWithdrawn"];

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

    /// <summary>
    /// A seller deletes their account: the sold listing goes to the deleted account (its seller's id
    /// and description gone), the listing still on sale is withdrawn. Every version is pushed, none skipped.
    /// </summary>
    [Fact]
    public async Task SellerDeletingTheirAccount_PushesEveryChangeOfTheirListings_NoVersionSkipped()
    {
        using var http = new HttpClient { BaseAddress = _app.BaseAddress };
        var signedUp = await http.PostAsJsonAsync("/api/users/signup", new { email = $"leaving-{Guid.NewGuid():N}@example.com", password = "correct-horse-battery" });
        var sellerId = (await signedUp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var seller = new Actor(sellerId);
        var buyer = new Actor(Guid.NewGuid());
        await using var scope = _app.Services.CreateAsyncScope();
        var listings = scope.ServiceProvider.GetRequiredService<TicketListings>();
        var sold = await listings.CreateAsync(seller, new TicketInput("Sold one", 20m, Description: "Row A"));
        var onSale = await listings.CreateAsync(seller, new TicketInput("Still on sale", 30m, Description: "Row B"));
        var order = await scope.ServiceProvider.GetRequiredService<TicketOrders>().ReserveAsync(buyer, sold.Id);
        await scope.ServiceProvider.GetRequiredService<OrderPayments>().PayAsync(buyer, order.Id, "tok_visa");
        for (var i = 0; i < 4; i++)
        {
            Assert.True(_received.TryTake(out _, TimeSpan.FromSeconds(2)));
        }

        await scope.ServiceProvider.GetRequiredService<AccountDeletion>().DeleteAsync(sellerId);

        var pushed = new List<(string Method, JsonElement Ticket)>();
        while (pushed.Count < 3 && _received.TryTake(out var next, TimeSpan.FromSeconds(2)))
        {
            pushed.Add(next);
        }

        Assert.False(_received.TryTake(out var extra, TimeSpan.FromMilliseconds(300)), $"unexpected {extra.Method}");
        string Trail(Guid id) => string.Join(" > ", pushed.Where(p => p.Ticket.GetProperty("id").GetGuid() == id)
            .Select(p => $"{p.Method}@{p.Ticket.GetProperty("version").GetInt32()}"));
        Assert.Equal("TicketUpdated@3", Trail(sold.Id));
        Assert.Equal("TicketUpdated@1 > TicketWithdrawn@2", Trail(onSale.Id));
        Assert.All(pushed, p =>
        {
            Assert.Equal(Ticketing.Domain.Identity.DeletedAccount.Id, p.Ticket.GetProperty("userId").GetGuid());
            Assert.Equal(JsonValueKind.Null, p.Ticket.GetProperty("description").ValueKind);
        });
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
