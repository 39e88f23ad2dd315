using Ticketing.Domain.Delivery;
using Ticketing.Infrastructure.Email;

namespace Ticketing.Infrastructure.Delivery;

/// <summary>
/// The buyer gets the e-ticket by e-mail once the order is paid: its code in words and as a QR code,
/// so that it reaches the door even without the app. The e-ticket was issued in the transaction that
/// completed the order, so it is there when this runs; one e-mail per order
/// (<c>ETicket:{orderId}:buyer</c>), however often the event is delivered.
/// </summary>
internal sealed class EmailETicketOnOrderCompleted(TicketingDbContext db, EmailQueue queue, ETicketKeys keys) : CommittedEventHandler<OrderCompleted>
{
    protected override async Task HandleAsync(OrderCompleted e, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == e.AggregateId, cancellationToken);
        var eTicket = await db.Set<ETicket>().AsNoTracking().FirstOrDefaultAsync(t => t.OrderId == e.AggregateId, cancellationToken);

        // Refunded before this ran (a long mail outage): the code would be void at the door.
        if (order is not { Status: OrderStatus.Complete } || eTicket is null
            || await Recipients.EmailOfAsync(db, order.BuyerId, cancellationToken) is not { } buyer)
        {
            return;
        }

        var code = ETicketCode.Create(eTicket.Serial, await keys.GetAsync(cancellationToken));
        var hasFile = await db.Set<TicketFile>().AnyAsync(f => f.TicketId == order.TicketId, cancellationToken);
        await queue.EnqueueAsync(
            $"ETicket:{order.Id}:buyer",
            EmailTemplates.ETicket(buyer, order.TicketTitle, order.Id, code, ETicketImage.HtmlTable(code), hasFile, eTicket.SellerSendsBy),
            cancellationToken);
    }
}
