using Ticketing.Domain.Expiration;
using Ticketing.Domain.Identity;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Payments;

namespace Ticketing.Infrastructure.Audit;

/// <summary>
/// Turns the events of a save into the steps of the audit trail, with who did it. The step is
/// recorded in the save that raised the event, so the trail and the state it describes commit or
/// roll back together. The actor comes from the event where it says (the buyer's reservation, an
/// expiry), from the request or page that saved it (which user, or the provider's webhook), and
/// otherwise from the gateway, whose answer moved the money.
/// </summary>
public sealed class AuditTrail(IRequestOrigins origins, IOptions<PaymentsOptions> payments)
{
    /// <summary>Every event recorded on the trail; the registration and its test read this list.</summary>
    public static readonly IReadOnlyList<Type> RecordedEvents =
    [
        typeof(TicketCreated),
        typeof(TicketUpdated),
        typeof(TicketWithdrawn),
        typeof(OrderCreated),
        typeof(OrderAwaitingPayment),
        typeof(OrderPaymentReleased),
        typeof(OrderCompleted),
        typeof(OrderCancelled),
        typeof(OrderRefunded),
        typeof(PaymentRejected),
        typeof(PaymentRefunded),
        typeof(PaymentDisputed),
    ];

    private const string AccountRequest = "an account's request is no step of an order or a listing";

    /// <summary>Events that are not steps of their own, and why.</summary>
    public static readonly IReadOnlyDictionary<Type, string> NotRecorded = new Dictionary<Type, string>
    {
        [typeof(TicketLocked)] = RecordedInTheSameSaveBy(AuditStep.Reserved),
        [typeof(TicketUnlocked)] = RecordedInTheSameSaveBy(AuditStep.Cancelled, AuditStep.Expired, AuditStep.Refunded),
        [typeof(TicketSold)] = RecordedInTheSameSaveBy(AuditStep.Paid),
        [typeof(PaymentCreated)] = RecordedInTheSameSaveBy(AuditStep.Paid) + " with the amount",
        [typeof(PaymentRefundRequested)] = RecordedInTheSameSaveBy(AuditStep.Refunded),
        [typeof(PaymentReversed)] = RecordedInTheSameSaveBy(AuditStep.Refunded),
        [typeof(ExpirationComplete)] = $"the order's {AuditStep.Expired} step records what it did (nothing, if the order was paid)",
        [typeof(UserCreated)] = "a sign-up is no step of an order or a listing",
        [typeof(PasswordResetRequested)] = AccountRequest,
        [typeof(EmailConfirmationRequested)] = AccountRequest,
        [typeof(OrderBuyerAnonymised)] = "the buyer deleted their account: the order's steps stay, their buyer becomes the deleted account",
        [typeof(TicketSellerAnonymised)] = "the seller deleted their account: the listing's steps stay, their seller becomes the deleted account",
    };

    private string Currency => payments.Value.Currency;

    private static string RecordedInTheSameSaveBy(params AuditStep[] steps)
    {
        var names = steps.Length == 1 ? $"{steps[0]}" : $"{string.Join(", ", steps[..^1])} or {steps[^1]}";
        return $"the order's {names} step, in the same save, records it";
    }

    internal async Task<AuditEntry?> DescribeAsync(IDomainEvent domainEvent, TicketingDbContext db, CancellationToken cancellationToken)
    {
        var origin = origins.Current;
        switch (domainEvent)
        {
            case TicketCreated e:
                return Entry(e, AuditStep.Listed, UserStep(origin, null, e.SellerId, AuditActor.Seller), ticketId: e.AggregateId, sellerId: e.SellerId,
                    detail: AuditText.Of(AuditTemplates.Listed, new AuditPlain(e.Title), Price(e.Price)));
            case TicketUpdated { Delivery: TicketDeliveryChange.FileTakenOffAfterRefund } e:
                return Entry(e, AuditStep.Edited, await RefunderOfAsync(db, e.AggregateId, cancellationToken), ticketId: e.AggregateId, sellerId: e.Ticket.SellerId,
                    detail: AuditText.Of(AuditTemplates.FileTakenOffAfterRefund));
            case TicketUpdated e:
                return Entry(e, AuditStep.Edited, UserStep(origin, null, e.Ticket.SellerId, AuditActor.Seller), ticketId: e.AggregateId, sellerId: e.Ticket.SellerId,
                    detail: e.Delivery switch
                    {
                        TicketDeliveryChange.FileAttached => AuditText.Of(AuditTemplates.FileAttached),
                        TicketDeliveryChange.FileReplaced => AuditText.Of(AuditTemplates.FileReplaced),
                        TicketDeliveryChange.FileRemoved => AuditText.Of(AuditTemplates.FileRemoved),
                        _ => AuditText.Of(AuditTemplates.Edited, new AuditPlain(e.Title), Price(e.Price)),
                    });
            case TicketWithdrawn e:
                return Entry(e, AuditStep.Withdrawn, UserStep(origin, null, e.Ticket.SellerId, AuditActor.Seller), ticketId: e.AggregateId, sellerId: e.Ticket.SellerId,
                    detail: AuditText.Of(AuditTemplates.Withdrawn));
            case OrderCreated e:
            {
                var sellerId = await SellerOfAsync(db, e.TicketId, cancellationToken);
                return Entry(e, AuditStep.Reserved, (AuditActor.Buyer, e.BuyerId), e.AggregateId, e.TicketId, e.BuyerId, sellerId,
                    AuditText.Of(AuditTemplates.Reserved, Price(e.Price), new AuditInstant(e.ExpiresAt)));
            }

            case OrderAwaitingPayment e:
            {
                var order = await db.Orders.FindAsync([e.AggregateId], cancellationToken);
                var sellerId = order is null ? null : await SellerOfAsync(db, order.TicketId, cancellationToken);
                var detail = e.PaymentReference is null
                    ? AuditText.Of(AuditTemplates.PaymentStarted)
                    : AuditText.Of(AuditTemplates.AwaitingProvider, new AuditPlain(e.PaymentReference));
                return Entry(e, AuditStep.PaymentStarted, UserStep(origin, e.BuyerId, sellerId, AuditActor.Buyer), e.AggregateId, order?.TicketId, e.BuyerId, sellerId, detail);
            }

            case OrderPaymentReleased e:
            {
                var order = await db.Orders.FindAsync([e.AggregateId], cancellationToken);
                var sellerId = order is null ? null : await SellerOfAsync(db, order.TicketId, cancellationToken);
                return Entry(e, AuditStep.PaymentDeclined, MoneyStep(origin), e.AggregateId, order?.TicketId, e.BuyerId, sellerId,
                    AuditText.Of(AuditTemplates.PaymentDeclined));
            }

            case OrderCompleted e:
            {
                var payment = await db.Payments.FindAsync([e.PaymentId], cancellationToken);
                var sellerId = await SellerOfAsync(db, e.TicketId, cancellationToken);
                var paid = payment is null
                    ? AuditText.Of(AuditTemplates.Paid)
                    : AuditText.Of(AuditTemplates.PaidAmount, new AuditMoney(payment.AmountMinor / 100m, payment.Currency), new AuditPlain(payment.ProviderReference));
                return Entry(e, AuditStep.Paid, MoneyStep(origin), e.AggregateId, e.TicketId, e.BuyerId, sellerId, paid);
            }

            case OrderCancelled e:
                return Describe(e, await SellerOfAsync(db, e.TicketId, cancellationToken));

            case OrderRefunded e:
            {
                var sellerId = await SellerOfAsync(db, e.TicketId, cancellationToken);
                var actor = e.AdminId is { } adminId ? (AuditActor.Admin, (Guid?)adminId) : MoneyStep(origin);
                // The reason an admin typed stays as typed; the one the app gives a provider's refund is its own words.
                AuditArg reason = e.AdminId is null && e.Reason == RefundOrderOnPaymentReversed.Reason
                    ? new AuditPhrase(AuditTemplates.RefundedAtProvider)
                    : new AuditPlain(e.Reason);
                var template = e.RelistTicket ? AuditTemplates.RefundedRelisted : AuditTemplates.RefundedWithdrawn;
                return Entry(e, AuditStep.Refunded, actor, e.AggregateId, e.TicketId, e.BuyerId, sellerId, AuditText.Of(template, reason));
            }

            case PaymentRejected e:
            {
                var order = await db.Orders.FindAsync([e.OrderId], cancellationToken);
                return Entry(e, AuditStep.PaymentRefused, MoneyStep(origin), e.OrderId, order?.TicketId, order?.BuyerId, null,
                    AuditText.Of(AuditTemplates.PaymentRefused, new AuditMoney(e.AmountMinor / 100m, e.Currency), new AuditPlain(e.ProviderReference), Describe(e.Reason)));
            }

            case PaymentRefunded e:
            {
                var order = await db.Orders.FindAsync([e.OrderId], cancellationToken);
                var payment = await db.Payments.FindAsync([e.AggregateId], cancellationToken);
                return Entry(e, AuditStep.MoneyReturned, MoneyStep(origin), e.OrderId, order?.TicketId, order?.BuyerId, null,
                    AuditText.Of(AuditTemplates.MoneyReturned, new AuditMoney(e.AmountMinor / 100m, payment?.Currency ?? Currency), new AuditPlain(e.RefundReference)));
            }

            case PaymentDisputed e:
            {
                var order = await db.Orders.FindAsync([e.OrderId], cancellationToken);
                return Entry(e, AuditStep.Disputed, MoneyStep(origin), e.OrderId, order?.TicketId, order?.BuyerId, null,
                    e.Reason is null
                        ? AuditText.Of(AuditTemplates.Disputed, new AuditPlain(e.DisputeReference))
                        : AuditText.Of(AuditTemplates.DisputedWithReason, new AuditPlain(e.DisputeReference), new AuditPlain(e.Reason)));
            }

            default:
                return null;
        }
    }

    /// <summary>
    /// The step of a cancellation whose listing's seller is known. The expiry sets write their
    /// cancellations with set-wide statements, which run no reactions, and record their steps with this.
    /// </summary>
    internal AuditEntry Describe(OrderCancelled e, Guid? sellerId)
    {
        var origin = origins.Current;
        var (step, actor, detail) = e.Reason switch
        {
            CancellationReason.Expired => (AuditStep.Expired, (AuditActor.Expiry, (Guid?)null), AuditTemplates.Expired),
            CancellationReason.Admin => (AuditStep.Cancelled, (AuditActor.Admin, origin?.UserId), AuditTemplates.CancelledByAdmin),
            _ => (AuditStep.Cancelled, UserStep(origin, e.BuyerId, sellerId, AuditActor.Buyer), AuditTemplates.CancelledByBuyer),
        };
        return Entry(e, step, actor, e.AggregateId, e.TicketId, e.BuyerId, sellerId, AuditText.Of(detail));
    }

    private static AuditPhrase Describe(RefundReason reason) => new(reason switch
    {
        RefundReason.OrderCancelled => AuditTemplates.RefusedOrderCancelled,
        RefundReason.TicketGone => AuditTemplates.RefusedTicketGone,
        RefundReason.AlreadyPaid => AuditTemplates.RefusedAlreadyPaid,
        RefundReason.AmountMismatch => AuditTemplates.RefusedAmountMismatch,
        _ => AuditTemplates.RefusedOther,
    });

    /// <summary>
    /// A step a user takes: the user of the request or page, named by what they are to the order or
    /// listing; without one (a test, a script), who the event says.
    /// </summary>
    private static (AuditActor Actor, Guid? UserId) UserStep(RequestOrigin? origin, Guid? buyerId, Guid? sellerId, AuditActor fallback)
    {
        if (origin?.UserId is { } user)
        {
            if (user == buyerId)
            {
                return (AuditActor.Buyer, user);
            }

            if (user == sellerId)
            {
                return (AuditActor.Seller, user);
            }

            if (origin.IsAdmin)
            {
                return (AuditActor.Admin, user);
            }
        }

        return fallback switch
        {
            AuditActor.Buyer => (AuditActor.Buyer, buyerId),
            AuditActor.Seller => (AuditActor.Seller, sellerId),
            _ => (fallback, null),
        };
    }

    /// <summary>
    /// Who refunded the listing's last refunded order: a step taken after the refund committed, as
    /// its consequence, is theirs (the admin, or the provider's webhook), not the seller's.
    /// </summary>
    private static async Task<(AuditActor Actor, Guid? UserId)> RefunderOfAsync(TicketingDbContext db, Guid ticketId, CancellationToken cancellationToken)
    {
        var refund = await db.Set<AuditEntry>().AsNoTracking()
            .Where(a => a.TicketId == ticketId && a.Step == AuditStep.Refunded)
            .OrderByDescending(a => a.Id)
            .Select(a => new { a.Actor, a.ActorUserId })
            .FirstOrDefaultAsync(cancellationToken);
        return refund is null ? (AuditActor.Admin, null) : (refund.Actor, refund.ActorUserId);
    }

    /// <summary>A step the provider's answer decides: the webhook when it told us on its own, else the gateway's reply to a charge.</summary>
    private static (AuditActor Actor, Guid? UserId) MoneyStep(RequestOrigin? origin) =>
        origin?.IsWebhook == true ? (AuditActor.Webhook, null) : (AuditActor.Gateway, null);

    /// <summary>
    /// The listing's seller. The reactions of the same save have tracked the ticket already (they
    /// lock, unlock or sell it), so this is a lookup, not a query.
    /// </summary>
    private static async Task<Guid?> SellerOfAsync(TicketingDbContext db, Guid ticketId, CancellationToken cancellationToken) =>
        (await db.Tickets.FindAsync([ticketId], cancellationToken))?.SellerId;

    private static AuditEntry Entry(
        IDomainEvent e,
        AuditStep step,
        (AuditActor Actor, Guid? UserId) actor,
        Guid? orderId = null,
        Guid? ticketId = null,
        Guid? buyerId = null,
        Guid? sellerId = null,
        AuditText? detail = null) => WithText(new AuditEntry
    {
        OccurredAt = e.OccurredAt,
        Step = step,
        Actor = actor.Actor,
        ActorUserId = actor.UserId,
        OrderId = orderId,
        TicketId = ticketId,
        BuyerId = buyerId,
        SellerId = sellerId,
        Detail = string.Empty,
        EventType = EventTypes.NameOf(e),
        AggregateId = e.AggregateId,
        Version = e.Version,
    }, detail ?? AuditText.Of(string.Empty));

    /// <summary>
    /// The English detail and what the reader's language writes it from, from one value. Arguments too
    /// long to keep leave the step without them: it then reads in English, as steps recorded before did.
    /// </summary>
    private static AuditEntry WithText(AuditEntry entry, AuditText text)
    {
        var english = text.English;
        entry.Detail = english.Length <= 500 ? english : english[..500];
        var args = text.ArgsJson();
        if (args is not { Length: > AuditText.MaxArgsLength } && text.Template.Length <= AuditText.MaxTemplateLength)
        {
            (entry.DetailTemplate, entry.DetailArgs) = (text.Template, args);
        }

        return entry;
    }

    private AuditMoney Price(decimal amount) => new(amount, Currency);
}

/// <summary>Records the step of each event of one type in the save that raised it.</summary>
internal sealed class RecordAuditStep<TEvent>(AuditTrail trail) : DomainEventReaction<TEvent>
    where TEvent : IDomainEvent
{
    protected override async Task ReactAsync(TEvent domainEvent, TicketingDbContext db, CancellationToken cancellationToken)
    {
        if (await trail.DescribeAsync(domainEvent, db, cancellationToken) is { } entry)
        {
            db.Set<AuditEntry>().Add(entry);
        }
    }
}
