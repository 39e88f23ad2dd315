using Ticketing.Domain.Identity;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Infrastructure.Events;

/// <summary>
/// Runs on every save: lets the in-transaction reactions answer the events raised so far (they may
/// raise more), then writes all of them to the outbox in the same transaction, renews concurrency
/// tokens, and after the commit wakes the dispatcher so that delivery does not wait for a poll, and
/// hands the events to the handlers that run on commit (<see cref="OnCommitDelivery"/>).
/// </summary>
public sealed class DomainEventPipeline(IEnumerable<IDomainEventReaction> reactions, OutboxSignal signal, OnCommitDelivery onCommit, TimeProvider clock)
{
    private const int MaxRounds = 10;

    private readonly ILookup<Type, IDomainEventReaction> _reactions = reactions.ToLookup(r => r.EventType);

    /// <summary>Returns the events written to the outbox by this save.</summary>
    internal async Task<IReadOnlyList<IDomainEvent>> BeforeSaveAsync(TicketingDbContext db, CancellationToken cancellationToken)
    {
        var raised = NewUsers(db);
        for (var round = 0; ; round++)
        {
            var batch = TakeEvents(db);
            if (batch.Count == 0)
            {
                break;
            }

            if (round == MaxRounds)
            {
                throw new InvalidOperationException("Event reactions did not settle: a reaction keeps raising events.");
            }

            raised.AddRange(batch);
            foreach (var sameType in batch.GroupBy(e => e.GetType()))
            {
                var events = sameType.ToList();
                foreach (var reaction in _reactions[sameType.Key])
                {
                    await reaction.PrepareAsync(events, db, cancellationToken);
                }
            }

            foreach (var domainEvent in batch)
            {
                foreach (var reaction in _reactions[domainEvent.GetType()])
                {
                    await reaction.ReactAsync(domainEvent, db, cancellationToken);
                }
            }
        }

        db.OutboxMessages.AddRange(raised.Select(EventTypes.ToOutboxMessage));
        db.ChangeTracker.DetectChanges();
        ConcurrencyToken.RenewForChangedRows(db);
        return raised;
    }

    /// <summary>Called once the outbox rows are committed (not inside an open explicit transaction).</summary>
    internal void AfterCommit(IReadOnlyList<IDomainEvent> committed)
    {
        // Claimed for the on-commit handlers before the dispatcher is woken to record them.
        onCommit.Committed(committed);
        signal.Notify();
    }

    internal static bool HasEventsToDispatch(TicketingDbContext db) =>
        db.ChangeTracker.Entries<AggregateRoot>().Any(e => e.Entity.DomainEvents.Count > 0)
        || db.ChangeTracker.Entries<AppUser>().Any(e => e.State == EntityState.Added);

    /// <summary>Identity's store saves users itself: a new user row is the Identity context's event.</summary>
    private List<IDomainEvent> NewUsers(TicketingDbContext db)
    {
        var events = new List<IDomainEvent>();
        foreach (var entry in db.ChangeTracker.Entries<AppUser>().Where(e => e.State == EntityState.Added))
        {
            if (entry.Entity.CreatedAt == default)
            {
                entry.Entity.CreatedAt = clock.GetUtcNow();
            }

            events.Add(new UserCreated(entry.Entity.Id, 0, entry.Entity.CreatedAt, entry.Entity.Email ?? string.Empty));
        }

        return events;
    }

    private static List<IDomainEvent> TakeEvents(TicketingDbContext db)
    {
        var events = new List<IDomainEvent>();
        foreach (var entry in db.ChangeTracker.Entries<AggregateRoot>())
        {
            if (entry.Entity.DomainEvents.Count > 0)
            {
                events.AddRange(entry.Entity.DomainEvents);
                entry.Entity.ClearDomainEvents();
            }
        }

        events.AddRange(db.TakePublished());
        return events;
    }
}
