using Ticketing.Domain.Common;
using Ticketing.Domain.Identity;
using Ticketing.Domain.Tickets.Rules;

namespace Ticketing.Domain.Tickets;

/// <summary>
/// A listed ticket. It is locked while an order holds it (<see cref="TicketStatus.Reserved"/>) and
/// for good once that order is paid (<see cref="TicketStatus.Sold"/>).
/// </summary>
public sealed class Ticket : TimestampedAggregateRoot
{
    private Ticket()
    {
        Title = string.Empty;
    }

    public Guid SellerId { get; private set; }

    public string Title { get; private set; }

    public decimal Price { get; private set; }

    public DateTimeOffset? EventDate { get; private set; }

    public string? Venue { get; private set; }

    public string? Description { get; private set; }

    public TicketStatus Status { get; private set; }

    /// <summary>The live or completing order; null while available.</summary>
    public Guid? OrderId { get; private set; }

    /// <summary>The holding order's expiry while reserved; null otherwise.</summary>
    public DateTimeOffset? ReservedUntil { get; private set; }

    public bool IsWithdrawn { get; private set; }

    public bool IsLocked => Status != TicketStatus.Available;

    public static Ticket List(Guid id, Guid sellerId, TicketDetails details, DateTimeOffset now)
    {
        var ticket = new Ticket { Id = id, SellerId = sellerId, Status = TicketStatus.Available };
        ticket.Apply(details);
        ticket.Created(new TicketCreated(id, 0, now, sellerId, details.Title, details.Price, ticket.Snapshot()));
        return ticket;
    }

    /// <summary>
    /// Replaces the listing's details. Every edit counts as a change, even one that sends the values
    /// the listing has: its version moves on and the edit is pushed, so an edit racing a
    /// reservation is decided by the row's token like any other, and a client sees its version +1.
    /// </summary>
    public void Edit(TicketDetails details, DateTimeOffset now)
    {
        CheckRule(new TicketMustBeListedRule(IsWithdrawn));
        CheckRule(new TicketMustNotBeLockedRule(Status));
        Apply(details);
        Change(v => new TicketUpdated(Id, v, now, Title, Price, Snapshot()));
    }

    /// <summary>
    /// The seller attached, replaced or removed the listing's ticket file. What a buyer receives is
    /// part of the listing, so this is a change of the listing like an edit: refused once a buyer
    /// holds the ticket, and it renews the row's concurrency token so that a reservation committing
    /// at the same moment and this change cannot both win.
    /// </summary>
    public void ChangeDelivery(TicketDeliveryChange change, DateTimeOffset now)
    {
        CheckRule(new TicketMustBeListedRule(IsWithdrawn));
        CheckRule(new TicketMustNotBeLockedRule(Status));
        Change(v => new TicketUpdated(Id, v, now, Title, Price, Snapshot(), change));
    }

    /// <summary>
    /// The rules <see cref="Lock"/> applies, for a caller that wants to refuse a reservation before
    /// doing any work for it (at an on-sale most requests are for a ticket someone already holds).
    /// </summary>
    public void CheckCanBeLockedBy(Guid buyerId)
    {
        CheckRule(new TicketMustBeListedRule(IsWithdrawn));
        CheckRule(new TicketMustBeAvailableRule(Status));
        CheckRule(new BuyerMustNotBeSellerRule(SellerId, buyerId));
    }

    public void Lock(Guid orderId, Guid buyerId, DateTimeOffset reservedUntil, DateTimeOffset now)
    {
        CheckCanBeLockedBy(buyerId);
        MoveTo(TicketStatus.Reserved, orderId, reservedUntil);
        Change(v => new TicketLocked(Id, v, now, orderId, reservedUntil, Snapshot()));
    }

    /// <summary>Releases the hold of <paramref name="orderId"/>; a no-op if that order no longer holds it.</summary>
    public bool Unlock(Guid orderId, DateTimeOffset now)
    {
        if (Status != TicketStatus.Reserved || OrderId != orderId)
        {
            return false;
        }

        MoveTo(TicketStatus.Available, null, null);
        Change(v => new TicketUnlocked(Id, v, now, orderId, Snapshot()));
        return true;
    }

    /// <summary>
    /// Marks the ticket sold to <paramref name="orderId"/>. Usually the order holds it; a payment that
    /// arrives after its order expired may still claim a ticket that nobody else holds.
    /// </summary>
    public bool MarkSold(Guid orderId, DateTimeOffset now)
    {
        if (Status == TicketStatus.Sold && OrderId == orderId)
        {
            return false;
        }

        CheckRule(new TicketMustBeListedRule(IsWithdrawn));
        CheckRule(new TicketMustBeHeldByOrderRule(Status, OrderId, orderId));
        MoveTo(TicketStatus.Sold, orderId, null);
        Change(v => new TicketSold(Id, v, now, orderId, Snapshot()));
        return true;
    }

    /// <summary>
    /// The sale to <paramref name="orderId"/> was undone (its money refunded): the ticket goes back on
    /// the market, or off it when <paramref name="relist"/> is false. A no-op unless that order bought it.
    /// </summary>
    public bool ReturnSale(Guid orderId, bool relist, DateTimeOffset now)
    {
        if (Status != TicketStatus.Sold || OrderId != orderId)
        {
            return false;
        }

        MoveTo(TicketStatus.Available, null, null);
        if (relist)
        {
            Change(v => new TicketUnlocked(Id, v, now, orderId, Snapshot()));
        }
        else
        {
            IsWithdrawn = true;
            Change(v => new TicketWithdrawn(Id, v, now, Snapshot()));
        }

        return true;
    }

    /// <summary>Takes an unlocked listing off the market.</summary>
    public void Withdraw(DateTimeOffset now)
    {
        CheckRule(new TicketMustNotBeLockedRule(Status));
        if (IsWithdrawn)
        {
            return;
        }

        IsWithdrawn = true;
        Change(v => new TicketWithdrawn(Id, v, now, Snapshot()));
    }

    /// <summary>
    /// The seller deleted their account: the listing stays as a record (a sale is in the books) but
    /// belongs to <see cref="DeletedAccount"/>, and the description, the seller's own words, goes.
    /// Refused while a buyer holds the ticket: that sale is paid or ends first. Returns false when
    /// already done.
    /// </summary>
    public bool AnonymiseSeller(DateTimeOffset now)
    {
        CheckRule(new AccountMustHaveNoReservedListingRule(Status == TicketStatus.Reserved));
        if (SellerId == DeletedAccount.Id)
        {
            return false;
        }

        SellerId = DeletedAccount.Id;
        Description = null;
        Change(v => new TicketSellerAnonymised(Id, v, now, Snapshot()));
        return true;
    }

    public TicketSnapshot Snapshot() =>
        new(SellerId, Title, Price, Status, OrderId, ReservedUntil, EventDate, Venue, Description, IsWithdrawn);

    /// <summary>The ticket's status, the order holding it and the end of that hold change together.</summary>
    private void MoveTo(TicketStatus status, Guid? orderId, DateTimeOffset? reservedUntil)
    {
        Status = status;
        OrderId = orderId;
        ReservedUntil = reservedUntil;
    }

    private void Apply(TicketDetails d)
    {
        Title = d.Title;
        Price = d.Price;
        EventDate = d.EventDate;
        Venue = d.Venue;
        Description = d.Description;
    }
}
