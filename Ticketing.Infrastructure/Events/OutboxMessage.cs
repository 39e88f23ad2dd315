using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Infrastructure.Events;

/// <summary>
/// An event committed with the change that raised it, waiting to be dispatched. Its id is the commit
/// order: the dispatcher delivers messages by ascending id.
/// </summary>
public sealed class OutboxMessage : ClaimableRow<long>
{
    public Guid EventId { get; set; }

    public required string Type { get; set; }

    public required string Payload { get; set; }

    public Guid AggregateId { get; set; }

    public int AggregateVersion { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }

    /// <summary>
    /// Set when a handler failed <see cref="OutboxOptions.MaxAttempts"/> times in a row: the message
    /// waits for an admin to retry it instead of being retried forever.
    /// </summary>
    public DateTimeOffset? DeadLetteredAt { get; set; }

}

/// <summary>Proof that one handler has handled one message: the key makes redelivery harmless.</summary>
public sealed class OutboxDelivery
{
    public long MessageId { get; set; }

    public required string Handler { get; set; }

    public DateTimeOffset HandledAt { get; set; }
}
