using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Infrastructure.Events;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Hosting;

public sealed class HealthTests
{
    [Fact]
    public async Task Live_WhenTheProcessRuns_Returns200()
    {
        await using var app = new TicketingApp();
        using var client = app.CreateClient();

        var response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ready_WithDatabaseSchedulerAndOutboxHealthy_Returns200WithEachCheck()
    {
        await using var app = new TicketingApp();
        using var client = app.CreateClient();

        var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = body.RootElement.GetProperty("checks");
        foreach (var name in new[] { "database", "scheduler", "outbox" })
        {
            Assert.Equal("Healthy", checks.GetProperty(name).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Ready_WhenAnEventNoDispatcherHasTriedWaitsLongerThanTheBound_Returns503()
    {
        await using var app = new TicketingApp(settings: new Dictionary<string, string?> { ["Outbox:MaxLagSeconds"] = "5" });
        using var client = app.CreateClient();
        await using (var db = app.CreateDbContext())
        {
            // Claimed by an instance that stopped dispatching: nobody delivers it or even tries.
            db.OutboxMessages.Add(new OutboxMessage
            {
                EventId = Guid.NewGuid(),
                Type = "NoSuchEvent",
                Payload = "{}",
                OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1),
                LockedBy = "stalled-host:1:0",
                LockedUntil = DateTimeOffset.UtcNow.AddMinutes(10),
            });
            await db.SaveChangesAsync();
        }

        var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Unhealthy", body.RootElement.GetProperty("checks").GetProperty("outbox").GetProperty("status").GetString());
        await using var check = app.CreateDbContext();
        Assert.True(await check.OutboxMessages.AnyAsync(m => m.Type == "NoSuchEvent" && m.ProcessedAt == null));
    }

    [Fact]
    public async Task Ready_WithOneMessageFailingAndOneDeadLettered_StaysUpAndSaysSo()
    {
        await using var app = new TicketingApp(settings: new Dictionary<string, string?> { ["Outbox:MaxLagSeconds"] = "5" });
        using var client = app.CreateClient();
        await using (var db = app.CreateDbContext())
        {
            // Both long overdue, both of a type no handler knows: one still being retried, one given up on.
            db.OutboxMessages.Add(new OutboxMessage
            {
                EventId = Guid.NewGuid(),
                Type = "NoSuchEvent",
                Payload = "{}",
                OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-5),
                Attempts = 3,
                LockedUntil = DateTimeOffset.UtcNow.AddMinutes(1),
            });
            db.OutboxMessages.Add(new OutboxMessage
            {
                EventId = Guid.NewGuid(),
                Type = "NoSuchEvent",
                Payload = "{}",
                OccurredAt = DateTimeOffset.UtcNow.AddHours(-1),
                Attempts = 15,
                DeadLetteredAt = DateTimeOffset.UtcNow.AddMinutes(-30),
            });
            await db.SaveChangesAsync();
        }

        var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var outbox = body.RootElement.GetProperty("checks").GetProperty("outbox");
        Assert.Equal("Degraded", outbox.GetProperty("status").GetString());
        Assert.Contains("1 being retried, 1 dead-lettered", outbox.GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
