using System.Linq.Expressions;

namespace Ticketing.Infrastructure.Expiration;

/// <summary>
/// The rules <see cref="Order.Cancel"/> and <see cref="Ticket.Unlock"/> apply to an expiry, as
/// predicates the database evaluates for a whole set at once (<see cref="ExpirationCoalescer"/>).
/// <c>ExpiryRulesTests</c> holds each one to its aggregate's behaviour in every state.
/// </summary>
internal static class ExpiryRules
{
    /// <summary>Names the set's read in the SQL, so that tests can step in between it and the writes.</summary>
    public const string SetReadTag = "expiry set: live orders";

    /// <summary>Still live: an expiry is raised for it (<see cref="Order.IsLive"/>).</summary>
    public static readonly Expression<Func<Order, bool>> Live =
        o => o.Status == OrderStatus.Created || o.Status == OrderStatus.AwaitingPayment;

    /// <summary>
    /// Live and not charging: the expiry cancels it. <see cref="Order.Cancel"/> refuses a complete
    /// order and one whose charge is in flight, and does nothing to a cancelled one.
    /// </summary>
    public static readonly Expression<Func<Order, bool>> Expirable =
        o => o.Status == OrderStatus.Created
            || (o.Status == OrderStatus.AwaitingPayment && o.PaymentAttempt != PaymentAttemptState.Charging);

    /// <summary>Reserved (<see cref="Ticket.Unlock"/> frees only a ticket the order holds, and the caller names the orders).</summary>
    public static readonly Expression<Func<Ticket, bool>> Reserved = t => t.Status == TicketStatus.Reserved;

    /// <summary>What <see cref="Order.Cancel"/> raises for an expiry, for the order as read before its cancellation was written.</summary>
    public static OrderCancelled Cancelled(Guid orderId, int versionBefore, Guid buyerId, Guid ticketId, string? paymentReference, DateTimeOffset now) =>
        new(orderId, versionBefore + 1, now, buyerId, ticketId, CancellationReason.Expired, paymentReference);

    /// <summary>What <see cref="Ticket.Unlock"/> raises, for the ticket as read before its unlock was written.</summary>
    public static TicketUnlocked Unlocked(Ticket before, DateTimeOffset now) => new(
        before.Id,
        before.Version + 1,
        now,
        before.OrderId!.Value,
        before.Snapshot() with { Status = TicketStatus.Available, OrderId = null, ReservedUntil = null });
}
