using Ticketing.Domain.Common;

namespace Ticketing.Domain.Orders;

public sealed record OrderCreated(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid BuyerId, Guid TicketId, decimal Price, DateTimeOffset ExpiresAt) : IDomainEvent;

public sealed record OrderAwaitingPayment(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid BuyerId, string PaymentReference) : IDomainEvent;

public sealed record OrderCompleted(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid BuyerId, Guid TicketId, Guid PaymentId) : IDomainEvent;

public sealed record OrderCancelled(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid BuyerId, Guid TicketId, CancellationReason Reason) : IDomainEvent;
