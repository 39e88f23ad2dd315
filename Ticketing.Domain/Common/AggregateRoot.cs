namespace Ticketing.Domain.Common;

/// <summary>
/// A consistency boundary. <see cref="Version"/> starts at 0 and grows by one on every change;
/// every event the aggregate raises carries the version it produced, so that consumers can apply
/// events in order and ignore redeliveries.
/// </summary>
public abstract class AggregateRoot
{
    private readonly List<IDomainEvent> _domainEvents = [];

    public Guid Id { get; protected init; }

    public int Version { get; private set; }

    public IReadOnlyCollection<IDomainEvent> DomainEvents => _domainEvents.AsReadOnly();

    public void ClearDomainEvents() => _domainEvents.Clear();

    /// <summary>Records a change: bumps the version, then raises the event built for that version.</summary>
    protected void Change(Func<int, IDomainEvent> raise)
    {
        Version++;
        Raise(raise(Version));
    }

    /// <summary>Raises the creation event for version 0.</summary>
    protected void Created(IDomainEvent created) => Raise(created);

    /// <summary>Every event the aggregate raises passes here, in order.</summary>
    protected virtual void Raise(IDomainEvent raised) => _domainEvents.Add(raised);

    protected static void CheckRule(IBusinessRule rule) => BusinessRule.Check(rule);
}
