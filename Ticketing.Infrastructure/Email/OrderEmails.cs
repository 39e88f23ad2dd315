using Ticketing.Infrastructure.Payments;

namespace Ticketing.Infrastructure.Email;

/// <summary>
/// The shape of an order's e-mails: read the order the event is about, then queue an e-mail for each
/// recipient whose account still exists. Each handler queues its e-mails on the scope's context, which
/// the outbox dispatcher saves with the handler's delivery record: one e-mail per event and
/// recipient, however often the event is delivered.
/// </summary>
internal abstract class OrderEmailHandler<TEvent>(TicketingDbContext db, EmailQueue queue) : CommittedEventHandler<TEvent>
    where TEvent : IDomainEvent
{
    protected TicketingDbContext Db => db;

    protected sealed override async Task HandleAsync(TEvent e, CancellationToken cancellationToken)
    {
        // Sent even when the order has moved on since (paid at once, or expired during a long mail
        // outage): every step gets its e-mail, in order, and the later ones say how it ended.
        var orderId = OrderIdOf(e);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        if (order is not null)
        {
            await WriteAsync(e, order, cancellationToken);
        }
    }

    protected virtual Guid OrderIdOf(TEvent e) => e.AggregateId;

    protected abstract Task WriteAsync(TEvent e, Order order, CancellationToken cancellationToken);

    /// <summary>Queues the e-mail <paramref name="write"/> makes for the user's address; nothing when the account is gone.</summary>
    protected async Task SendAsync(TEvent e, Guid userId, string recipient, Func<string, OutgoingEmail> write, CancellationToken cancellationToken)
    {
        if (await Recipients.EmailOfAsync(db, userId, cancellationToken) is { } address)
        {
            await queue.EnqueueAsync(Recipients.Key(e, recipient), write(address), cancellationToken);
        }
    }
}

/// <summary>The buyer learns the reservation's deadline.</summary>
internal sealed class EmailOnOrderCreated(TicketingDbContext db, EmailQueue queue, IOptions<PaymentsOptions> payments) : OrderEmailHandler<OrderCreated>(db, queue)
{
    protected override Task WriteAsync(OrderCreated e, Order order, CancellationToken cancellationToken) =>
        SendAsync(
            e,
            e.BuyerId,
            "buyer",
            buyer => EmailTemplates.ReservationMade(buyer, order.TicketTitle, e.Price, payments.Value.Currency, e.AggregateId, e.ExpiresAt),
            cancellationToken);
}

/// <summary>The buyer gets a receipt; the seller learns the ticket sold.</summary>
internal sealed class EmailOnOrderCompleted(TicketingDbContext db, EmailQueue queue, IOptions<PaymentsOptions> payments) : OrderEmailHandler<OrderCompleted>(db, queue)
{
    protected override async Task WriteAsync(OrderCompleted e, Order order, CancellationToken cancellationToken)
    {
        var currency = payments.Value.Currency;
        var reference = await Db.Payments.AsNoTracking().Where(p => p.Id == e.PaymentId).Select(p => p.ProviderReference).FirstOrDefaultAsync(cancellationToken);
        await SendAsync(
            e,
            e.BuyerId,
            "buyer",
            buyer => EmailTemplates.PaymentReceived(buyer, order.TicketTitle, order.Price, currency, order.Id, e.OccurredAt, reference),
            cancellationToken);

        var sellerId = await Db.Tickets.AsNoTracking().Where(t => t.Id == e.TicketId).Select(t => (Guid?)t.SellerId).FirstOrDefaultAsync(cancellationToken);
        if (sellerId is { } id)
        {
            // Sold without a file, the e-ticket issued with the sale holds the seller's deadline.
            var attachFileBy = await Db.Set<Domain.Delivery.ETicket>().AsNoTracking()
                .Where(t => t.OrderId == e.AggregateId)
                .Select(t => t.SellerSendsBy)
                .FirstOrDefaultAsync(cancellationToken);
            await SendAsync(
                e,
                id,
                "seller",
                seller => EmailTemplates.TicketSold(seller, order.TicketTitle, order.Price, currency, order.Id, e.OccurredAt, attachFileBy),
                cancellationToken);
        }
    }
}

/// <summary>The buyer learns that the order ended unpaid, and why.</summary>
internal sealed class EmailOnOrderCancelled(TicketingDbContext db, EmailQueue queue) : OrderEmailHandler<OrderCancelled>(db, queue)
{
    protected override Task WriteAsync(OrderCancelled e, Order order, CancellationToken cancellationToken) =>
        SendAsync(
            e,
            e.BuyerId,
            "buyer",
            buyer => e.Reason switch
            {
                CancellationReason.Expired => EmailTemplates.ReservationExpired(buyer, order.TicketTitle, order.Id, order.ExpiresAt),
                CancellationReason.Admin => EmailTemplates.OrderCancelled(buyer, order.TicketTitle, order.Id, byAdmin: true, e.OccurredAt),
                _ => EmailTemplates.OrderCancelled(buyer, order.TicketTitle, order.Id, byAdmin: false, e.OccurredAt),
            },
            cancellationToken);
}

/// <summary>The buyer learns that a refunded order's money goes back, and why.</summary>
internal sealed class EmailOnOrderRefunded(TicketingDbContext db, EmailQueue queue, IOptions<PaymentsOptions> payments) : OrderEmailHandler<OrderRefunded>(db, queue)
{
    protected override Task WriteAsync(OrderRefunded e, Order order, CancellationToken cancellationToken) =>
        SendAsync(
            e,
            e.BuyerId,
            "buyer",
            buyer => EmailTemplates.RefundMade(buyer, order.TicketTitle, order.Price, payments.Value.Currency, order.Id, e.Reason, e.OccurredAt),
            cancellationToken);
}

/// <summary>
/// The buyer learns that money the order could not take went back (a payment for a cancelled or
/// already paid order), or that the provider refunded part of a payment. A refunded order's money is
/// told of by its own e-mail.
/// </summary>
internal sealed class EmailOnPaymentRefunded(TicketingDbContext db, EmailQueue queue) : OrderEmailHandler<PaymentRefunded>(db, queue)
{
    protected override Guid OrderIdOf(PaymentRefunded e) => e.OrderId;

    protected override async Task WriteAsync(PaymentRefunded e, Order order, CancellationToken cancellationToken)
    {
        if (e.Reason == RefundReason.Admin)
        {
            return;
        }

        var currency = await Db.Payments.AsNoTracking().Where(p => p.Id == e.AggregateId).Select(p => p.Currency).FirstOrDefaultAsync(cancellationToken);
        if (currency is null)
        {
            return;
        }

        var reason = e.Reason switch
        {
            RefundReason.OrderCancelled => "The order had been cancelled when the payment arrived",
            RefundReason.TicketGone => "The reservation had expired and the ticket was sold to someone else",
            RefundReason.AlreadyPaid => "The order had already been paid",
            RefundReason.AmountMismatch => "The amount paid did not match the order",
            _ => "Refunded by the payment provider",
        };
        await SendAsync(
            e,
            order.BuyerId,
            "buyer",
            buyer => EmailTemplates.RefundMade(buyer, order.TicketTitle, e.AmountMinor / 100m, currency, order.Id, reason, e.OccurredAt),
            cancellationToken);
    }
}

public static class Recipients
{
    /// <summary>The user's address; null when the account is gone.</summary>
    public static Task<string?> EmailOfAsync(TicketingDbContext db, Guid userId, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);

    /// <summary>One e-mail per event and recipient: <c>OrderCreated:{orderId}:0:buyer</c>.</summary>
    public static string Key(IDomainEvent e, string recipient) => $"{EventTypes.NameOf(e)}:{e.AggregateId}:{e.Version}:{recipient}";
}
