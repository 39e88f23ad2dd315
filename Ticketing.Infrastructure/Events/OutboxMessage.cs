namespace Ticketing.Infrastructure.Events;

/// <summary>An event committed with the change that raised it, waiting to be dispatched.</summary>
public sealed class OutboxMessage
{
    /// <summary>The commit order: the dispatcher delivers messages by ascending id.</summary>
    public long Id { get; set; }

    public Guid EventId { get; set; }

    public required string Type { get; set; }

    public required string Payload { get; set; }

    public Guid AggregateId { get; set; }

    public int AggregateVersion { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>
    /// Set when a handler failed <see cref="OutboxOptions.MaxAttempts"/> times in a row: the message
    /// waits for an admin to retry it instead of being retried forever.
    /// </summary>
    public DateTimeOffset? DeadLetteredAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>While set and in the future, one dispatcher instance owns this message.</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    public string? LockedBy { get; set; }
}

/// <summary>Proof that one handler has handled one message: the key makes redelivery harmless.</summary>
public sealed class OutboxDelivery
{
    public long MessageId { get; set; }

    public required string Handler { get; set; }

    public DateTimeOffset HandledAt { get; set; }
}
