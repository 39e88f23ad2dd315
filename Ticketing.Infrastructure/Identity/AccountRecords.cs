using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Common;
using Ticketing.Domain.Identity;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Infrastructure.Identity;

/// <summary>
/// What an account leaves behind in the other contexts when it goes. Its live orders are cancelled
/// and its listings withdrawn; every order and listing is kept for the books but handed to
/// <see cref="DeletedAccount"/>; its sign-in counts and reservation gate go; and its id and email
/// are replaced in the stored events. Runs inside the caller's transaction, on the caller's context.
/// </summary>
internal static class AccountRecords
{
    private const int EventBatchSize = 500;

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
            if (!ticket.IsLocked)
            {
                ticket.Withdraw(now);
            }

            ticket.AnonymiseSeller(now);
        }

        await db.SaveChangesAsync(cancellationToken);
        await db.Set<SignInLockout>().Where(l => l.UserId == accountId).ExecuteDeleteAsync(cancellationToken);
        await ScrubEventsAsync(db, accountId, email, cancellationToken);
    }

    /// <summary>
    /// Events are stored as they were raised, with the buyer's or seller's id and, for a sign-up, the
    /// email. Those already delivered are kept a few days for redelivery, those not yet delivered still
    /// go out: both now name <see cref="DeletedAccount"/> instead, and the email is blanked.
    /// </summary>
    private static async Task ScrubEventsAsync(TicketingDbContext db, Guid accountId, string? email, CancellationToken cancellationToken)
    {
        var id = accountId.ToString("D");
        var emailInJson = string.IsNullOrEmpty(email) ? null : JsonSerializer.Serialize(email, Json)[1..^1];
        var replacement = DeletedAccount.Id.ToString("D");
        var after = 0L;
        while (true)
        {
            var mentioning = db.OutboxMessages.Where(m => m.Id > after);
            mentioning = emailInJson is null
                ? mentioning.Where(m => m.AggregateId == accountId || m.Payload.Contains(id) || (m.LastError != null && m.LastError.Contains(id)))
                : mentioning.Where(m => m.AggregateId == accountId || m.Payload.Contains(id) || m.Payload.Contains(emailInJson)
                    || (m.LastError != null && (m.LastError.Contains(id) || m.LastError.Contains(email!))));
            var batch = await mentioning.OrderBy(m => m.Id).Take(EventBatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return;
            }

            foreach (var message in batch)
            {
                if (message.AggregateId == accountId)
                {
                    message.AggregateId = DeletedAccount.Id;
                }

                message.Payload = JsonNode.Parse(message.Payload) is { } payload
                    ? Scrub(payload, id, email, replacement).ToJsonString(Json)
                    : message.Payload;
                message.LastError = message.LastError is null ? null : Replace(message.LastError, id, email, replacement);
            }

            await db.SaveChangesAsync(cancellationToken);
            after = batch[^1].Id;
        }
    }

    private static JsonNode Scrub(JsonNode node, string id, string? email, string replacement)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (value is not null && Scrub(value, id, email, replacement) is var scrubbed && !ReferenceEquals(scrubbed, value))
                    {
                        obj[key] = scrubbed;
                    }
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item && Scrub(item, id, email, replacement) is var scrubbed && !ReferenceEquals(scrubbed, item))
                    {
                        array[i] = scrubbed;
                    }
                }

                return array;
            case JsonValue value when value.TryGetValue<string>(out var text):
                var replaced = Replace(text, id, email, replacement);
                return replaced == text ? value : JsonValue.Create(replaced);
            default:
                return node;
        }
    }

    private static string Replace(string text, string id, string? email, string replacement)
    {
        text = text.Replace(id, replacement, StringComparison.OrdinalIgnoreCase);
        return string.IsNullOrEmpty(email) ? text : text.Replace(email, string.Empty, StringComparison.OrdinalIgnoreCase);
    }
}
