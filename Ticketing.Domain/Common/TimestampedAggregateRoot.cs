namespace Ticketing.Domain.Common;

/// <summary>
/// An aggregate that shows when it was created and when it last changed. Both are the times of its
/// events, so that no change can forget to stamp them.
/// </summary>
public abstract class TimestampedAggregateRoot : AggregateRoot
{
    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    protected override void Raise(IDomainEvent raised)
    {
        base.Raise(raised);
        if (raised.Version == 0)
        {
            CreatedAt = raised.OccurredAt;
        }

        UpdatedAt = raised.OccurredAt;
    }
}
