using Ticketing.Domain.Common;

namespace Ticketing.Domain.Tickets;

public sealed record TicketCreated(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid SellerId, string Title, decimal Price) : IDomainEvent;

public sealed record TicketUpdated(Guid AggregateId, int Version, DateTimeOffset OccurredAt, string Title, decimal Price) : IDomainEvent;

public sealed record TicketLocked(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid OrderId, DateTimeOffset ReservedUntil) : IDomainEvent;

public sealed record TicketUnlocked(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid OrderId) : IDomainEvent;

public sealed record TicketSold(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid OrderId) : IDomainEvent;

public sealed record TicketWithdrawn(Guid AggregateId, int Version, DateTimeOffset OccurredAt) : IDomainEvent;
