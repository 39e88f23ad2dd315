namespace Ticketing.Infrastructure.Audit;

/// <summary>What happened, in the words of an order's or a listing's life.</summary>
public enum AuditStep
{
    Listed,
    Edited,
    Withdrawn,
    Reserved,
    PaymentStarted,

    /// <summary>A payment attempt ended without taking money; the order can be paid again.</summary>
    PaymentDeclined,
    Paid,
    Cancelled,
    Expired,

    /// <summary>The sale was undone; the money is owed back.</summary>
    Refunded,

    /// <summary>The provider returned money to the buyer.</summary>
    MoneyReturned,

    /// <summary>Money arrived that its order could not take; it is owed back.</summary>
    PaymentRefused,

    /// <summary>The buyer's bank disputes the charge.</summary>
    Disputed,
}

/// <summary>Who did it.</summary>
public enum AuditActor
{
    Buyer,
    Seller,
    Admin,

    /// <summary>The reservation window closed.</summary>
    Expiry,

    /// <summary>The payment provider's answer to a charge.</summary>
    Gateway,

    /// <summary>A message the payment provider sent on its own (a Stripe webhook).</summary>
    Webhook,
}

/// <summary>
/// One step of an order's or a listing's life, recorded from the event that made it in the same
/// transaction, so that the trail has every committed step and nothing that was rolled back.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>The order of commits: a trail reads by ascending id.</summary>
    public long Id { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public AuditStep Step { get; set; }

    public AuditActor Actor { get; set; }

    /// <summary>The user who acted, when a user did (the buyer, the seller or the admin).</summary>
    public Guid? ActorUserId { get; set; }

    public Guid? OrderId { get; set; }

    public Guid? TicketId { get; set; }

    public Guid? BuyerId { get; set; }

    public Guid? SellerId { get; set; }

    /// <summary>The step in a sentence: amounts, deadlines, reasons, provider references.</summary>
    public required string Detail { get; set; }

    /// <summary>
    /// The English template <see cref="Detail"/> was written from (<see cref="AuditTemplates"/>), so the
    /// admin's page can write the step in the reader's language; null on steps recorded before it was kept.
    /// </summary>
    public string? DetailTemplate { get; set; }

    /// <summary>The template's arguments as JSON (<see cref="AuditArg"/>): amounts, instants, references, typed reasons.</summary>
    public string? DetailArgs { get; set; }

    /// <summary>The event recorded, e.g. <c>OrderCreated</c>, with its aggregate and version.</summary>
    public required string EventType { get; set; }

    public Guid AggregateId { get; set; }

    public int Version { get; set; }
}
