namespace Ticketing.Infrastructure.Events;

/// <summary>
/// A reaction that must commit atomically with the change that raised the event: it runs inside
/// the same save, on the same context, before the transaction commits. Used where another
/// context's row arbitrates a race (the ticket lock).
/// </summary>
public interface IDomainEventReaction
{
    Type EventType { get; }

    /// <summary>
    /// Sees every event of its type raised in one round before reacting to any of them, so that a
    /// save raising hundreds (an expiry set) loads their rows in one query instead of one each.
    /// </summary>
    Task PrepareAsync(IReadOnlyList<IDomainEvent> domainEvents, TicketingDbContext db, CancellationToken cancellationToken);

    Task ReactAsync(IDomainEvent domainEvent, TicketingDbContext db, CancellationToken cancellationToken);
}

public abstract class DomainEventReaction<TEvent> : IDomainEventReaction
    where TEvent : IDomainEvent
{
    public Type EventType => typeof(TEvent);

    public Task PrepareAsync(IReadOnlyList<IDomainEvent> domainEvents, TicketingDbContext db, CancellationToken cancellationToken) =>
        PrepareAsync(domainEvents.Cast<TEvent>().ToList(), db, cancellationToken);

    public Task ReactAsync(IDomainEvent domainEvent, TicketingDbContext db, CancellationToken cancellationToken) =>
        ReactAsync((TEvent)domainEvent, db, cancellationToken);

    protected virtual Task PrepareAsync(IReadOnlyList<TEvent> domainEvents, TicketingDbContext db, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    protected abstract Task ReactAsync(TEvent domainEvent, TicketingDbContext db, CancellationToken cancellationToken);
}

/// <summary>
/// A handler of a committed event, run by the outbox dispatcher after commit, at least once.
/// Database changes a handler makes on the scoped <see cref="TicketingDbContext"/> are saved by the
/// dispatcher together with the delivery record, so they happen exactly once.
/// </summary>
public interface IEventHandler
{
    Type EventType { get; }

    Task HandleAsync(IDomainEvent domainEvent, CancellationToken cancellationToken);
}

public abstract class CommittedEventHandler<TEvent> : IEventHandler
    where TEvent : IDomainEvent
{
    public Type EventType => typeof(TEvent);

    public Task HandleAsync(IDomainEvent domainEvent, CancellationToken cancellationToken) =>
        HandleAsync((TEvent)domainEvent, cancellationToken);

    protected abstract Task HandleAsync(TEvent domainEvent, CancellationToken cancellationToken);
}
