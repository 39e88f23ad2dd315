using System.Text.Json;
using Ticketing.Domain.Delivery;
using Ticketing.Domain.Identity;
using Ticketing.Infrastructure.Audit;
using Ticketing.Infrastructure.Email;
using Ticketing.Infrastructure.Orders;

namespace Ticketing.Infrastructure.Identity;

/// <summary>
/// What an account leaves behind in the other contexts when it goes. Its live orders are cancelled
/// and its listings withdrawn; every order and listing is kept for the books but handed to
/// <see cref="DeletedAccount"/>; its sign-in counts and reservation gate go; and its id and email
/// are replaced in the stored events. Runs inside the caller's transaction, on the caller's context.
/// </summary>
internal static class AccountRecords
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Refused, changing nothing, while a charge for one of its orders is in flight or a buyer holds one of its tickets.</summary>
    public static async Task ForgetAsync(TicketingDbContext db, Guid accountId, string? email, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Removed first: a reservation of this account that read the gate before now loses its save.
        await db.Set<BuyerReservationGate>().Where(g => g.BuyerId == accountId).ExecuteDeleteAsync(cancellationToken);

        var orders = await db.Orders.Where(o => o.BuyerId == accountId).ToListAsync(cancellationToken);
        if (orders.Any(o => o.IsCharging))
        {
            throw new BusinessRuleViolationException(new AccountMustHaveNoPaymentInProgressRule(paymentInProgress: true));
        }

        var tickets = await db.Tickets.Where(t => t.SellerId == accountId).ToListAsync(cancellationToken);
        if (tickets.Any(t => t.Status == TicketStatus.Reserved))
        {
            throw new BusinessRuleViolationException(new AccountMustHaveNoReservedListingRule(listingReserved: true));
        }

        foreach (var order in orders)
        {
            // Unlocks the ticket in this same save (UnlockTicketOnOrderCancelled); a payment the
            // provider confirms later is stopped, and refunded if it arrives anyway.
            if (order.IsLive)
            {
                order.Cancel(CancellationReason.User, now);
            }

            order.AnonymiseBuyer(now);
        }

        foreach (var ticket in tickets)
        {
            ticket.AnonymiseSeller(now);
            if (!ticket.IsLocked)
            {
                ticket.Withdraw(now);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await db.Set<SignInLockout>().Where(l => l.UserId == accountId).ExecuteDeleteAsync(cancellationToken);
        await ScrubEventsAsync(db, accountId, email, cancellationToken);
        await ScrubAuditETicketsAndEmailAsync(db, accountId, email, cancellationToken);
    }

    /// <summary>
    /// The audit trail keeps every step of the orders and listings, now taken by
    /// <see cref="DeletedAccount"/>, and so do its ticket files and e-tickets; the e-mails to the account's address go, sent or not (an e-mail
    /// still queued would be about an account that no longer exists).
    /// </summary>
    private static async Task ScrubAuditETicketsAndEmailAsync(TicketingDbContext db, Guid accountId, string? email, CancellationToken cancellationToken)
    {
        var audit = db.Set<AuditEntry>();
        await audit.Where(a => a.ActorUserId == accountId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ActorUserId, DeletedAccount.Id), cancellationToken);
        await audit.Where(a => a.BuyerId == accountId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.BuyerId, DeletedAccount.Id), cancellationToken);
        await audit.Where(a => a.SellerId == accountId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.SellerId, DeletedAccount.Id), cancellationToken);

        // A sold ticket's file still reaches its buyer: it goes with the ticket to the deleted account.
        await db.Set<TicketFile>().Where(f => f.SellerId == accountId)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.SellerId, DeletedAccount.Id), cancellationToken);

        // A paid ticket's e-ticket still admits whoever holds its code: it was paid for.
        var eTickets = db.Set<ETicket>();
        await eTickets.Where(t => t.BuyerId == accountId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.BuyerId, DeletedAccount.Id), cancellationToken);
        await eTickets.Where(t => t.AdmittedBy == accountId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.AdmittedBy, DeletedAccount.Id), cancellationToken);
        if (!string.IsNullOrEmpty(email))
        {
            var normalized = email.ToUpperInvariant();
            await db.Set<EmailMessage>().Where(m => m.Recipient.ToUpper() == normalized).ExecuteDeleteAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Events are stored as they were raised, with the buyer's or seller's id and, for a sign-up, the
    /// email. Those already delivered are kept a few days for redelivery, those not yet delivered still
    /// go out: both now name <see cref="DeletedAccount"/> instead, and the email is blanked. Done in
    /// SQL, a statement each, however many events the account has. The email is replaced only as a
    /// whole JSON string, quotes included, so that a longer address containing it stays intact.
    /// </summary>
    private static async Task ScrubEventsAsync(TicketingDbContext db, Guid accountId, string? email, CancellationToken cancellationToken)
    {
        var id = accountId.ToString("D");
        var replacement = DeletedAccount.Id.ToString("D");
        var messages = db.OutboxMessages;
        await messages.Where(m => m.AggregateId == accountId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.AggregateId, DeletedAccount.Id), cancellationToken);
        await messages.Where(m => m.Payload.Contains(id))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Payload, m => m.Payload.Replace(id, replacement)), cancellationToken);
        await messages.Where(m => m.LastError != null && m.LastError.Contains(id))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LastError, m => m.LastError!.Replace(id, replacement)), cancellationToken);
        if (!string.IsNullOrEmpty(email))
        {
            var quoted = JsonSerializer.Serialize(email, Json);
            await messages.Where(m => m.Payload.Contains(quoted))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Payload, m => m.Payload.Replace(quoted, "\"\"")), cancellationToken);
        }
    }
}
