using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Events;

/// <summary>Processed outbox rows are deleted once older than the retention; nothing else is.</summary>
public sealed class OutboxRetentionTests
{
    [Fact]
    public async Task Pruning_RemovesOnlyProcessedMessagesOlderThanTheRetention_WithTheirDeliveries()
    {
        await using var app = new TicketingApp(settings: new Dictionary<string, string?> { ["Outbox:RetentionDays"] = "7" });
        var now = DateTimeOffset.UtcNow;
        var old = await SeedAsync(app, 2_500, processedAt: now.AddDays(-8));
        var recent = await SeedAsync(app, 300, processedAt: now.AddDays(-6));
        var unprocessed = await SeedAsync(app, 20, processedAt: null, occurredAt: now.AddDays(-30));
        var dead = await SeedAsync(app, 20, processedAt: null, occurredAt: now.AddDays(-30), deadLetteredAt: now.AddDays(-29));

        var deleted = await ActivatorUtilities.CreateInstance<OutboxRetentionJob>(app.Services).PruneAsync();

        Assert.Equal(old.Count, deleted);
        await using var db = app.CreateDbContext();
        var left = await db.OutboxMessages.AsNoTracking().Select(m => m.Id).ToListAsync();
        Assert.Empty(left.Intersect(old));
        Assert.Superset(recent.Concat(unprocessed).Concat(dead).ToHashSet(), left.ToHashSet());
        var deliveries = await db.OutboxDeliveries.AsNoTracking().Select(d => d.MessageId).Distinct().ToListAsync();
        Assert.Empty(deliveries.Intersect(old));
        Assert.Equal(recent.Count, deliveries.Intersect(recent).Count());
    }

    [Fact]
    public async Task Pruning_AlsoDropsSignInFailureCountsNobodyAddedToForADay_ButKeepsLiveLocks()
    {
        await using var app = new TicketingApp();
        var now = DateTimeOffset.UtcNow;
        var user = Guid.NewGuid();
        await using (var db = app.CreateDbContext())
        {
            db.Add(new SignInLockout { UserId = user, Client = "198.51.100.1", FailedCount = 3, LastFailureAt = now.AddDays(-2) });
            db.Add(new SignInLockout { UserId = user, Client = "198.51.100.2", FailedCount = 0, LastFailureAt = now.AddDays(-2), LockedUntil = now.AddDays(-2).AddMinutes(5) });
            db.Add(new SignInLockout { UserId = user, Client = "198.51.100.3", FailedCount = 2, LastFailureAt = now.AddHours(-1) });
            db.Add(new SignInLockout { UserId = user, Client = "198.51.100.4", FailedCount = 0, LastFailureAt = now.AddDays(-2), LockedUntil = now.AddMinutes(3) });
            await db.SaveChangesAsync();
        }

        await ActivatorUtilities.CreateInstance<OutboxRetentionJob>(app.Services).PruneAsync();

        await using var check = app.CreateDbContext();
        var left = await check.Set<SignInLockout>().AsNoTracking().Where(l => l.UserId == user).Select(l => l.Client).OrderBy(c => c).ToListAsync();
        Assert.Equal(["198.51.100.3", "198.51.100.4"], left);
    }

    [Fact]
    public async Task RetentionJob_IsScheduledOnTheAppsScheduler()
    {
        await using var app = new TicketingApp();

        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        Assert.True(await scheduler.CheckExists(OutboxRetentionJob.Key));
        var trigger = Assert.Single(await scheduler.GetTriggersOfJob(OutboxRetentionJob.Key));
        Assert.NotNull(trigger.GetNextFireTimeUtc());
    }

    /// <summary>Messages of a type no handler knows, as left by past traffic, each with one delivery row when processed.</summary>
    private static async Task<List<long>> SeedAsync(TicketingApp app, int count, DateTimeOffset? processedAt, DateTimeOffset? occurredAt = null, DateTimeOffset? deadLetteredAt = null)
    {
        await using var db = app.CreateDbContext();
        var messages = Enumerable.Range(0, count).Select(_ => new OutboxMessage
        {
            EventId = Guid.NewGuid(),
            Type = "RetiredEvent",
            Payload = "{}",
            AggregateId = Guid.NewGuid(),
            OccurredAt = occurredAt ?? processedAt!.Value.AddSeconds(-1),
            ProcessedAt = processedAt,
            DeadLetteredAt = deadLetteredAt,
            Attempts = deadLetteredAt is null ? 0 : 15,

            // Out of the dispatchers' way: these rows are the past, not work to do.
            LockedBy = processedAt is null && deadLetteredAt is null ? "elsewhere:1:0" : null,
            LockedUntil = processedAt is null && deadLetteredAt is null ? DateTimeOffset.UtcNow.AddHours(1) : null,
        }).ToList();
        db.OutboxMessages.AddRange(messages);
        await db.SaveChangesAsync();
        if (processedAt is { } at)
        {
            db.OutboxDeliveries.AddRange(messages.Select(m => new OutboxDelivery { MessageId = m.Id, Handler = "TicketLivePush", HandledAt = at }));
            await db.SaveChangesAsync();
        }

        return messages.ConvertAll(m => m.Id);
    }
}
