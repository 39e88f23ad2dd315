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
    public async Task Ready_WhenAnEventWaitsLongerThanTheBound_Returns503()
    {
        await using var app = new TicketingApp(settings: new Dictionary<string, string?> { ["Outbox:MaxLagSeconds"] = "5" });
        using var client = app.CreateClient();
        await using (var db = app.CreateDbContext())
        {
            // An event of a type no handler knows keeps failing, so it stays undelivered.
            db.OutboxMessages.Add(new OutboxMessage
            {
                EventId = Guid.NewGuid(),
                Type = "NoSuchEvent",
                Payload = "{}",
                OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1),
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
}
