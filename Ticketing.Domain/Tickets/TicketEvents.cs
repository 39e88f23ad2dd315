using Ticketing.Domain.Common;

namespace Ticketing.Domain.Tickets;

/// <summary>
/// The whole ticket as of one version. Ticket events carry it so that consumers (the live channel,
/// other contexts) see exactly the state that version had, however late they process the event.
/// </summary>
public sealed record TicketSnapshot(
    Guid SellerId,
    string Title,
    decimal Price,
    TicketStatus Status,
    Guid? OrderId,
    DateTimeOffset? ReservedUntil,
    DateTimeOffset? EventDate,
    string? Venue,
    string? Description,
    bool IsWithdrawn);

public interface ITicketEvent : IDomainEvent
{
    TicketSnapshot Ticket { get; }
}

public sealed record TicketCreated(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid SellerId, string Title, decimal Price, TicketSnapshot Ticket) : ITicketEvent;

/// <param name="Delivery">What changed about how the buyer gets the ticket, when the edit was that; null for an edit of the listing's fields.</param>
public sealed record TicketUpdated(Guid AggregateId, int Version, DateTimeOffset OccurredAt, string Title, decimal Price, TicketSnapshot Ticket, TicketDeliveryChange? Delivery = null) : ITicketEvent;

/// <summary>A change to the listing's ticket file, which is how a buyer gets the ticket.</summary>
public enum TicketDeliveryChange
{
    FileAttached,
    FileReplaced,
    FileRemoved,

    /// <summary>A refund put the ticket back on sale: the file the refunded buyer could download must not be sold again.</summary>
    FileTakenOffAfterRefund,
}

public sealed record TicketLocked(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid OrderId, DateTimeOffset ReservedUntil, TicketSnapshot Ticket) : ITicketEvent;

public sealed record TicketUnlocked(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid OrderId, TicketSnapshot Ticket) : ITicketEvent;

public sealed record TicketSold(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid OrderId, TicketSnapshot Ticket) : ITicketEvent;

public sealed record TicketWithdrawn(Guid AggregateId, int Version, DateTimeOffset OccurredAt, TicketSnapshot Ticket) : ITicketEvent;

/// <summary>The seller deleted their account: the listing is kept as a record of <see cref="Identity.DeletedAccount"/>, without the seller's own words.</summary>
public sealed record TicketSellerAnonymised(Guid AggregateId, int Version, DateTimeOffset OccurredAt, TicketSnapshot Ticket) : ITicketEvent;
