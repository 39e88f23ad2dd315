using Ticketing.Infrastructure.Email;

namespace Ticketing.Infrastructure.Delivery;

/// <summary>
/// A refunded buyer keeps whatever they downloaded, so a relisted ticket must not be sold with that
/// same file: it is taken off the listing, which then reads "the seller sends it after the sale",
/// and the seller is asked for a fresh one. It runs after the refund committed, like the seller's own
/// removal, because the bytes may only go once nothing points at them.
/// </summary>
internal sealed class RetireTicketFileOnRelistingRefund(TicketingDbContext db, TicketFiles files, EmailQueue queue) : CommittedEventHandler<OrderRefunded>
{
    protected override async Task HandleAsync(OrderRefunded e, CancellationToken cancellationToken)
    {
        if (!e.RelistTicket || await files.RetireAsync(e.TicketId, e.OccurredAt, cancellationToken) is not { } sellerId)
        {
            return;
        }

        var title = await db.Tickets.AsNoTracking().Where(t => t.Id == e.TicketId).Select(t => t.Title).FirstOrDefaultAsync(cancellationToken);
        if (title is not null && await Recipients.EmailOfAsync(db, sellerId, cancellationToken) is { } seller)
        {
            await queue.EnqueueAsync(Recipients.Key(e, "seller"), EmailTemplates.TicketFileRetired(seller, title, e.TicketId), cancellationToken);
        }
    }
}
