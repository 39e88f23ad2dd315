namespace Ticketing.Domain.Common;

/// <summary>
/// Something that happened in one context that other contexts may react to.
/// <see cref="AggregateId"/> and <see cref="Version"/> identify the change that raised it.
/// </summary>
public interface IDomainEvent
{
    Guid AggregateId { get; }

    int Version { get; }

    DateTimeOffset OccurredAt { get; }
}
