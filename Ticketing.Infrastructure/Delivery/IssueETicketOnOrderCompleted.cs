using Ticketing.Domain.Delivery;

namespace Ticketing.Infrastructure.Delivery;

/// <summary>
/// A paid order gets its e-ticket in the transaction that completes it, so that the order page,
/// which flips to paid the moment that commit is pushed, can show the ticket at once. Without a
/// file on the listing at that moment, the e-ticket records the seller's deadline to attach one.
/// </summary>
internal sealed class IssueETicketOnOrderCompleted(IOptions<DeliveryOptions> options) : DomainEventReaction<OrderCompleted>
{
    protected override async Task ReactAsync(OrderCompleted e, TicketingDbContext db, CancellationToken cancellationToken)
    {
        var eTickets = db.Set<ETicket>();
        if (await eTickets.FindAsync([e.AggregateId], cancellationToken) is not null)
        {
            return;
        }

        var hasFile = await db.Set<TicketFile>().AnyAsync(f => f.TicketId == e.TicketId, cancellationToken);
        DateTimeOffset? sendBy = null;
        if (!hasFile)
        {
            var ticket = await db.Tickets.FindAsync([e.TicketId], cancellationToken);
            sendBy = ETicket.SellerDeadline(e.OccurredAt, ticket?.EventDate, options.Value.SellerWindow);
        }

        eTickets.Add(ETicket.Issue(e.AggregateId, e.TicketId, e.BuyerId, e.OccurredAt, sendBy));
    }
}
