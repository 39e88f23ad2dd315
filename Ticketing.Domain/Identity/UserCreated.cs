using Ticketing.Domain.Common;

namespace Ticketing.Domain.Identity;

public sealed record UserCreated(Guid AggregateId, int Version, DateTimeOffset OccurredAt, string Email) : IDomainEvent;
