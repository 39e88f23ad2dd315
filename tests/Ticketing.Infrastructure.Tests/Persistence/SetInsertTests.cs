using Microsoft.EntityFrameworkCore;
using Ticketing.Infrastructure.Audit;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Persistence;

/// <summary>
/// The expiry sets write their events and audit steps without EF Core's tracking: the rows must read
/// back exactly as a save would have stored them, numbered in the order they were given (the
/// dispatcher delivers an aggregate's events by ascending id).
/// </summary>
public sealed class SetInsertTests
{
    [Fact]
    public async Task ThousandsOfOutboxRows_ReadBackAsSaved_NumberedInTheGivenOrder()
    {
        var path = TicketingApp.NewDatabasePath();
        try
        {
            await using (var db = TestDatabase.Open(path))
            {
                await db.Database.MigrateAsync();
            }

            var at = new DateTimeOffset(2026, 12, 6, 14, 0, 0, TimeSpan.FromHours(1));
            var messages = Enumerable.Range(0, 2_345).Select(i => new OutboxMessage
            {
                EventId = Guid.NewGuid(),
                Type = i % 3 == 0 ? "ExpirationComplete" : "OrderCancelled",
                Payload = $"{{\"n\":{i},\"text\":\"“quoted” ünïcode\"}}",
                AggregateId = Guid.NewGuid(),
                AggregateVersion = i % 7,
                OccurredAt = at.AddTicks(i),
            }).ToList();
            var saved = new OutboxMessage { EventId = Guid.NewGuid(), Type = "Saved", Payload = "{}", AggregateId = Guid.NewGuid(), AggregateVersion = 3, OccurredAt = at };

            await using (var db = TestDatabase.Open(path))
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                await SetInsert.InsertAsync(db, messages, CancellationToken.None);
                await transaction.CommitAsync();
                db.OutboxMessages.Add(saved);
                await db.SaveChangesAsync();
            }

            await using var check = TestDatabase.Open(path);
            var rows = await check.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
            Assert.Equal(messages.Count + 1, rows.Count);
            Assert.Equal(messages.Select(m => m.EventId).Append(saved.EventId), rows.Select(r => r.EventId));
            Assert.All(rows.Zip(messages), pair => Assert.Equal(
                (pair.Second.Type, pair.Second.Payload, pair.Second.AggregateId, pair.Second.AggregateVersion, pair.Second.OccurredAt, (DateTimeOffset?)null, 0, (string?)null),
                (pair.First.Type, pair.First.Payload, pair.First.AggregateId, pair.First.AggregateVersion, pair.First.OccurredAt, pair.First.ProcessedAt, pair.First.Attempts, pair.First.LockedBy)));

            // Stored as a save stores them: the same query finds both kinds by their instants.
            Assert.Equal(2, await check.OutboxMessages.CountAsync(m => m.OccurredAt == at));
        }
        finally
        {
            TicketingApp.DeleteDatabase(path);
        }
    }

    [Fact]
    public async Task AuditSteps_WithEnumsAndNulls_ReadBackAsSaved()
    {
        var path = TicketingApp.NewDatabasePath();
        try
        {
            await using (var db = TestDatabase.Open(path))
            {
                await db.Database.MigrateAsync();
            }

            var steps = Enumerable.Range(0, 450).Select(i => new AuditEntry
            {
                OccurredAt = DateTimeOffset.UtcNow,
                Step = i % 2 == 0 ? AuditStep.Expired : AuditStep.Cancelled,
                Actor = i % 2 == 0 ? AuditActor.Expiry : AuditActor.Buyer,
                ActorUserId = i % 2 == 0 ? null : Guid.NewGuid(),
                OrderId = Guid.NewGuid(),
                TicketId = Guid.NewGuid(),
                BuyerId = Guid.NewGuid(),
                SellerId = i % 5 == 0 ? null : Guid.NewGuid(),
                Detail = $"Step {i}",
                EventType = "OrderCancelled",
                AggregateId = Guid.NewGuid(),
                Version = 2,
            }).ToList();

            await using (var db = TestDatabase.Open(path))
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                await SetInsert.InsertAsync(db, steps, CancellationToken.None);
                await transaction.CommitAsync();
            }

            await using var check = TestDatabase.Open(path);
            var rows = await check.Set<AuditEntry>().AsNoTracking().OrderBy(a => a.Id).ToListAsync();
            Assert.Equal(steps.Count, rows.Count);
            Assert.All(rows.Zip(steps), pair => Assert.Equal(
                (pair.Second.OccurredAt, pair.Second.Step, pair.Second.Actor, pair.Second.ActorUserId, pair.Second.OrderId, pair.Second.SellerId, pair.Second.Detail, pair.Second.AggregateId),
                (pair.First.OccurredAt, pair.First.Step, pair.First.Actor, pair.First.ActorUserId, pair.First.OrderId, pair.First.SellerId, pair.First.Detail, pair.First.AggregateId)));
            Assert.Equal(225, await check.Set<AuditEntry>().CountAsync(a => a.Step == AuditStep.Expired && a.Actor == AuditActor.Expiry));
        }
        finally
        {
            TicketingApp.DeleteDatabase(path);
        }
    }

    [Fact]
    public async Task OutsideATransaction_Refuses()
    {
        var path = TicketingApp.NewDatabasePath();
        try
        {
            await using var db = TestDatabase.Open(path);
            await db.Database.MigrateAsync();
            await Assert.ThrowsAsync<InvalidOperationException>(() => SetInsert.InsertAsync(db, [new OutboxMessage { Type = "T", Payload = "{}" }], CancellationToken.None));
            Assert.Equal(0, await db.OutboxMessages.CountAsync());
        }
        finally
        {
            TicketingApp.DeleteDatabase(path);
        }
    }
}
