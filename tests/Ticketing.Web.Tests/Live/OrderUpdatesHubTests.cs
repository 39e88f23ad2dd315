using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Testing;
using Ticketing.Web.Live;

namespace Ticketing.Web.Tests.Live;

/// <summary>OrderUpdated reaches the buyer's own signed-in connections, and nobody else's.</summary>
public sealed class OrderUpdatesHubTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    // One buyer places more orders than a client may in a minute.
    private readonly TicketingApp _app = new(kestrel: true, settings: new Dictionary<string, string?> { ["RateLimiting:OrdersPermitLimit"] = "1000" });
    private readonly List<IAsyncDisposable> _connections = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        await _app.DisposeAsync();
    }

    [Fact]
    public async Task OrderChanges_ArePushedToTheBuyerOnly_CreatedThenPaid()
    {
        var seller = await SignUpAsync();
        var buyer = await SignUpAsync();
        var stranger = await SignUpAsync();
        var buyerInbox = await ConnectAsync(buyer.Cookies);
        var strangerInbox = await ConnectAsync(stranger.Cookies);
        var anonymousInbox = await ConnectAsync(new CookieContainer());

        var ticket = await PostAsync(seller.Client, "/api/tickets", new { title = "Ballet", price = 30 });
        var order = await PostAsync(buyer.Client, "/api/orders", new { ticketId = ticket.GetProperty("id").GetGuid() });
        var orderId = order.GetProperty("id").GetGuid();

        var created = Next(buyerInbox);
        Assert.Equal(orderId, created.GetProperty("id").GetGuid());
        Assert.Equal("created", created.GetProperty("status").GetString());
        Assert.EndsWith("Z", created.GetProperty("expiresAt").GetString());

        await PostAsync(buyer.Client, "/api/payments", new { orderId, token = "tok_visa" });

        // The payment claims the order (awaiting:payment), then completes it: a push for each change.
        var claimed = Next(buyerInbox);
        Assert.Equal(("awaiting:payment", 1), (claimed.GetProperty("status").GetString(), claimed.GetProperty("version").GetInt32()));
        var paid = Next(buyerInbox);
        Assert.Equal(("complete", 2), (paid.GetProperty("status").GetString(), paid.GetProperty("version").GetInt32()));

        Assert.False(buyerInbox.TryTake(out _, TimeSpan.FromMilliseconds(300)));
        Assert.False(strangerInbox.TryTake(out _, TimeSpan.FromMilliseconds(200)));
        Assert.False(anonymousInbox.TryTake(out _, TimeSpan.FromMilliseconds(100)));
    }

    /// <summary>
    /// A payment's claim and its completion commit milliseconds apart, so the claim's push often runs
    /// after the completion has committed. Each push still says what its own change did: every order
    /// is heard exactly as created v0, awaiting:payment v1, complete v2, nothing twice, nothing missing.
    /// </summary>
    [Fact]
    public async Task EveryChangeOfAnOrder_IsPushedOnce_AsOfThatChange_HoweverCloseTheNextOne()
    {
        const int Orders = 40;
        var seller = await SignUpAsync();
        var buyer = await SignUpAsync();
        var heard = new ConcurrentQueue<JsonElement>();
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_app.BaseAddress, "/hubs/tickets"), o => o.Cookies = buyer.Cookies)
            .Build();
        connection.On<JsonElement>("OrderUpdated", heard.Enqueue);
        await connection.StartAsync();
        _connections.Add(connection);

        var orderIds = new List<Guid>();
        for (var i = 0; i < Orders; i++)
        {
            var ticket = await PostAsync(seller.Client, "/api/tickets", new { title = $"Row {i}", price = 20 + i });
            var order = await PostAsync(buyer.Client, "/api/orders", new { ticketId = ticket.GetProperty("id").GetGuid() });
            var orderId = order.GetProperty("id").GetGuid();
            orderIds.Add(orderId);
            await PostAsync(buyer.Client, "/api/payments", new { orderId, token = "tok_visa" });
        }

        await TicketingApp.WaitUntilAsync(() => Task.FromResult(heard.Count >= 3 * Orders), TimeSpan.FromSeconds(10), $"{3 * Orders} order pushes arrive");
        await Task.Delay(300);
        var byOrder = heard.GroupBy(o => o.GetProperty("id").GetGuid())
            .ToDictionary(g => g.Key, g => string.Join(" > ", g.Select(o => $"{o.GetProperty("status").GetString()}@{o.GetProperty("version").GetInt32()}")));
        Assert.Equal(orderIds.Order(), byOrder.Keys.Order());
        Assert.All(orderIds, id => Assert.Equal("created@0 > awaiting:payment@1 > complete@2", byOrder[id]));
    }

    /// <summary>
    /// The buyer's pages hear why an order was cancelled from the in-process feed; the hub's
    /// OrderUpdated keeps the API's order object, member for member.
    /// </summary>
    [Fact]
    public async Task ACancel_TellsThePagesWhoCancelled_AndPushesTheSameOrderObjectAsTheApi()
    {
        var seller = await SignUpAsync();
        var buyer = await SignUpAsync();
        var feed = new BlockingCollection<OrderChange>();
        _app.Services.GetRequiredService<LiveFeed>().OrderChanged += feed.Add;
        var buyerInbox = await ConnectAsync(buyer.Cookies);
        var ticket = await PostAsync(seller.Client, "/api/tickets", new { title = "Opera", price = 45 });
        var orderId = (await PostAsync(buyer.Client, "/api/orders", new { ticketId = ticket.GetProperty("id").GetGuid() })).GetProperty("id").GetGuid();
        Assert.Equal("created", Next(buyerInbox).GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await buyer.Client.DeleteAsync($"/api/orders/{orderId}")).StatusCode);

        var pushed = Next(buyerInbox);
        Assert.Equal(["id", "userId", "status", "expiresAt", "version", "ticket"], pushed.EnumerateObject().Select(m => m.Name));
        Assert.Equal("cancelled", pushed.GetProperty("status").GetString());
        OrderChange? cancelled = null;
        while (cancelled is null && feed.TryTake(out var change, Deadline))
        {
            cancelled = change.Order.Id == orderId && change.Order.Status == "cancelled" ? change : null;
        }

        Assert.Equal("user", cancelled?.CancellationReason);
    }

    private static JsonElement Next(BlockingCollection<JsonElement> inbox)
    {
        Assert.True(inbox.TryTake(out var order, Deadline), $"no OrderUpdated within {Deadline.TotalSeconds} s");
        return order;
    }

    private async Task<BlockingCollection<JsonElement>> ConnectAsync(CookieContainer cookies)
    {
        var inbox = new BlockingCollection<JsonElement>();
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_app.BaseAddress, "/hubs/tickets"), o => o.Cookies = cookies)
            .Build();
        connection.On<JsonElement>("OrderUpdated", inbox.Add);
        await connection.StartAsync();
        _connections.Add(connection);
        return inbox;
    }

    private async Task<(HttpClient Client, CookieContainer Cookies)> SignUpAsync()
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = _app.BaseAddress };
        var response = await client.PostAsJsonAsync("/api/users/signup", new { email = $"o'hara-{Guid.NewGuid():N}@example.com", password = "correct-horse-battery" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (client, cookies);
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
