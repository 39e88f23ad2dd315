using Ticketing.Domain.Common;

namespace Ticketing.Domain.Expiration;

/// <summary>Raised by the Expiration context when an order's reservation window has closed.</summary>
/// <param name="AggregateId">The order whose window closed.</param>
/// <param name="Version">The order version the expiry was scheduled for.</param>
public sealed record ExpirationComplete(Guid AggregateId, int Version, DateTimeOffset OccurredAt) : IDomainEvent;
