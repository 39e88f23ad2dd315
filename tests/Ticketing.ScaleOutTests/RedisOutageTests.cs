using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ticketing.ScaleOutTests;

/// <summary>Redis carries only live updates: losing it must not stop reservations or expiry.</summary>
public sealed class RedisOutageTests
{
    [Fact]
    public async Task With_redis_gone_reservations_are_taken_and_still_expire()
    {
        await using var cluster = await LiveCluster.StartAsync(reservationSeconds: 3);
        var (seller, _) = await LiveCluster.SignUpAsync(cluster.A.BaseAddress);
        var (buyer, _) = await LiveCluster.SignUpAsync(cluster.B.BaseAddress);

        cluster.Redis.Kill();
        await cluster.Redis.WaitForExitAsync();

        var ticketId = await LiveCluster.ListTicketAsync(seller, "Redis is down");
        var started = DateTimeOffset.UtcNow;
        var response = await buyer.PostAsJsonAsync("/api/orders", new { ticketId });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(2), $"reserving took {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s without Redis");
        var orderId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3 + 10 + 5 + 3);
        string? status = null;
        while (DateTime.UtcNow < deadline)
        {
            status = (await buyer.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}")).GetProperty("status").GetString();
            if (status == "cancelled")
            {
                break;
            }

            await Task.Delay(250);
        }

        Assert.Equal("cancelled", status);

        // Pushes that cannot reach Redis are dropped, not retried, so they do not hold the outbox back.
        using var http = new HttpClient();
        var ready = await http.GetAsync(new Uri(cluster.A.BaseAddress, "/health/ready"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
