using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Ticketing.ScaleOutTests;

/// <summary>An instance dies mid-flight: the survivor finishes its work, once.</summary>
public sealed class InstanceFailureTests
{
    private const int ReservationSeconds = 4;

    /// <summary>docs/decisions/0004: the overdue sweep runs every 10 s on every instance; 5 s grace; 3 s margin.</summary>
    private static readonly TimeSpan Allowance = TimeSpan.FromSeconds(10 + 5 + 3);

    [Fact]
    public async Task Reservations_held_by_a_killed_instance_still_expire_on_time_through_the_survivor_and_every_event_is_handled_once()
    {
        await using var cluster = await LiveCluster.StartAsync(ReservationSeconds);
        var (seller, _) = await LiveCluster.SignUpAsync(cluster.A.BaseAddress);
        var (buyer, _) = await LiveCluster.SignUpAsync(cluster.A.BaseAddress);

        var unlocked = new ConcurrentQueue<Guid>();
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(cluster.B.BaseAddress, "/hubs/tickets")).Build();
        hub.On<JsonElement>("TicketUnlocked", t => unlocked.Enqueue(t.GetProperty("id").GetGuid()));
        await hub.StartAsync();

        var orders = new List<(Guid Order, Guid Ticket, DateTimeOffset ExpiresAt)>();
        for (var i = 0; i < 3; i++)
        {
            var ticketId = await LiveCluster.ListTicketAsync(seller, $"Held by A {i}");
            var response = await buyer.PostAsJsonAsync("/api/orders", new { ticketId });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var order = await response.Content.ReadFromJsonAsync<JsonElement>();
            orders.Add((order.GetProperty("id").GetGuid(), ticketId, order.GetProperty("expiresAt").GetDateTimeOffset()));
        }

        cluster.A.Process.Kill(); // SIGKILL: no graceful shutdown, its Quartz triggers and outbox claims die with it.
        await cluster.A.Process.WaitForExitAsync();

        var pending = orders.ToDictionary(o => o.Order);
        var lateBy = new List<string>();
        var deadline = orders.Max(o => o.ExpiresAt) + Allowance + TimeSpan.FromSeconds(2);
        while (pending.Count > 0 && DateTimeOffset.UtcNow < deadline)
        {
            var cancelled = cluster.Query(
                "SELECT upper(Id) FROM orders WHERE Status = 'Cancelled'",
                r => Guid.Parse(r.GetString(0)));
            var now = DateTimeOffset.UtcNow;
            foreach (var id in cancelled.Where(pending.ContainsKey))
            {
                var order = pending[id];
                if (now > order.ExpiresAt + Allowance)
                {
                    lateBy.Add($"{id} expired {(now - order.ExpiresAt).TotalSeconds:0.0} s after its expiresAt");
                }

                pending.Remove(id);
            }

            await Task.Delay(200);
        }

        Assert.Empty(pending.Keys);
        Assert.Empty(lateBy);

        // The survivor reports them expired, and the buyer's cookie from A works there too.
        foreach (var (order, _, _) in orders)
        {
            var view = await buyer.GetFromJsonAsync<JsonElement>(new Uri(cluster.B.BaseAddress, $"/api/orders/{order}"));
            Assert.Equal("cancelled", view.GetProperty("status").GetString());
        }

        // Every outbox event finishes (A's lapsed claims are taken over) and no handler ran twice for one event.
        await WaitUntilAsync(
            () => cluster.Query("SELECT COUNT(*) FROM outbox_messages WHERE ProcessedAt IS NULL", r => r.GetInt32(0)).Single() == 0,
            TimeSpan.FromSeconds(20),
            "every outbox message is processed");
        var duplicates = cluster.Query(
            "SELECT MessageId, Handler, COUNT(*) FROM outbox_deliveries GROUP BY MessageId, Handler HAVING COUNT(*) > 1",
            r => $"{r.GetInt64(0)}/{r.GetString(1)} x{r.GetInt32(2)}");
        Assert.Empty(duplicates);
        // ExpirationComplete has no after-commit handler: Orders answers it inside the commit that raised it (docs/decisions/0008).
        var undelivered = cluster.Query(
            "SELECT m.Id, m.Type FROM outbox_messages m WHERE m.Type <> 'ExpirationComplete' AND NOT EXISTS (SELECT 1 FROM outbox_deliveries d WHERE d.MessageId = m.Id)",
            r => $"{r.GetInt64(0)} {r.GetString(1)}");
        Assert.Empty(undelivered);

        var ticketStatuses = cluster.Query(
            $"SELECT Status FROM tickets WHERE upper(Id) IN ({string.Join(',', orders.Select(o => $"'{o.Ticket.ToString().ToUpperInvariant()}'"))})",
            r => r.GetString(0));
        Assert.Equal(["Available", "Available", "Available"], ticketStatuses);

        // The live push for each unlock ran once: B's client saw exactly one TicketUnlocked per ticket.
        await WaitUntilAsync(() => orders.All(o => unlocked.Contains(o.Ticket)), TimeSpan.FromSeconds(5), "B's client hears every unlock");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.All(orders, o => Assert.Equal(1, unlocked.Count(t => t == o.Ticket)));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {because}.");
            }

            await Task.Delay(100);
        }
    }
}
