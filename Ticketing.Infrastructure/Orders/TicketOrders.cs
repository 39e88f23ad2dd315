using Ticketing.Domain.Orders.Rules;
using Ticketing.Domain.Tickets.Rules;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Infrastructure.Orders;

/// <summary>The Orders context's use cases: reserve a ticket, cancel an order, read orders.</summary>
[Scoped]
public sealed partial class TicketOrders(
    IDbContextFactory<TicketingDbContext> contexts,
    GroupCommit commits,
    ClosedAccounts closedAccounts,
    TimeProvider clock,
    IOptions<OrderingOptions> options,
    ILogger<TicketOrders> logger)
{
    /// <summary>
    /// Each lost gate race means another reservation of the same buyer committed, so after as many
    /// rounds as the limit allows the count is at the limit anyway; the cap only bounds the loop.
    /// </summary>
    private const int MaxGateAttempts = 20;

    /// <summary>
    /// Places an order that locks the ticket for the reservation window. Of any number of buyers
    /// racing for one ticket exactly one wins; the others get "Ticket is already reserved". A buyer
    /// already holding <see cref="OrderingOptions.MaxLiveOrdersPerBuyer"/> live orders is refused,
    /// however many reservations they send at once (<see cref="BuyerReservationGate"/>). The order is
    /// written by the <see cref="GroupCommit"/> with the reservations queued beside it, and answered
    /// once it is committed.
    /// </summary>
    public async Task<OrderView> ReserveAsync(Actor buyer, Guid ticketId, CancellationToken cancellationToken = default)
    {
        SeenState seen;
        Prepared? prepared;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            seen = await ReadAsync(db, buyer.UserId, ticketId, cancellationToken);
            prepared = await PrepareAsync(db, buyer.UserId, seen, cancellationToken);
        }

        OrderView? placed = null;
        await commits.RunAsync(
            async db => placed = prepared is null ? await PlaceAsync(db, buyer.UserId, seen, firstAttempt: 1) : await PlacePreparedAsync(db, buyer.UserId, seen, prepared),
            cancellationToken);

        LogReserved(placed!.Id, ticketId, buyer.UserId, placed.ExpiresAt);
        await closedAccounts.ThrowIfClosedAsync(buyer.UserId, cancellationToken);
        return placed;
    }

    /// <summary>
    /// What a reservation decides on, read outside the write lock, where requests read side by side:
    /// the ticket with its concurrency token, and the buyer's gate with their live orders. Most
    /// requests at an on-sale are for a ticket someone already holds, or from a buyer at the limit:
    /// refused here, before anything waits for the lock.
    /// </summary>
    private async Task<SeenState> ReadAsync(TicketingDbContext db, Guid buyerId, Guid ticketId, CancellationToken cancellationToken)
    {
        var ticket = await ListedTicket(db, ticketId, cancellationToken)
            ?? throw new NotFoundException("Ticket not found");
        ticket.CheckCanBeLockedBy(buyerId);
        var gate = await BuyerGate(db, buyerId, clock.GetUtcNow(), cancellationToken);
        if (gate is not null)
        {
            CheckLiveOrderLimit(gate.LiveOrders);
        }

        var token = db.Entry(ticket).Property(ConcurrencyToken.PropertyName).OriginalValue;
        return new SeenState(ticket, token, ticket.Version, ticket.UpdatedAt, gate?.Gate);
    }

    /// <summary>The rows as read; the version and time are kept apart, as the first attempt changes the ticket itself.</summary>
    private sealed record SeenState(Ticket Ticket, object? TicketToken, int TicketVersion, DateTimeOffset TicketUpdatedAt, BuyerReservationGate? Gate);

    /// <summary>
    /// On SQLite, whose one writer at a time is what bounds reservations, the request works out the
    /// whole write on what it read, before it queues: the order, the ticket's lock, the gate's new
    /// stamp, the events, the audit steps, each row as the save would write it. The writer then only
    /// runs the statements (<see cref="PreparedWrite"/>). A buyer's first reservation counts their
    /// live orders here and inserts their gate row as a claim: the first of the buyer's reservations
    /// to commit makes it, and any other one finds it there and counts again under the lock. Null on
    /// SQL Server, whose writers run side by side.
    /// </summary>
    /// <remarks>On the context that read the ticket and the gate, which it still tracks as read.</remarks>
    private async Task<Prepared?> PrepareAsync(TicketingDbContext db, Guid buyerId, SeenState seen, CancellationToken cancellationToken)
    {
        if (db is not SqliteTicketingDbContext)
        {
            return null;
        }

        if (seen.Gate is { } gate)
        {
            gate.Stamp = Guid.NewGuid();
        }
        else
        {
            // The buyer's first reservation: their live orders are counted here (none, unless the
            // account's orders predate gates). If another reservation of theirs commits first, it
            // makes the gate, and this one's claim on it then fails and counts again under the lock.
            CheckLiveOrderLimit(await LiveOrders(db, buyerId, clock.GetUtcNow(), cancellationToken));
            db.Add(new BuyerReservationGate { BuyerId = buyerId, Stamp = Guid.NewGuid() });
        }

        var ticket = seen.Ticket;
        var order = Order.Place(Guid.NewGuid(), buyerId, ticket.Id, ticket.Title, ticket.Price, clock.GetUtcNow(), options.Value.ReservationWindow);
        db.Orders.Add(order);

        // The Tickets context locks the ticket here, as in a save (LockTicketOnOrderCreated).
        var write = await PreparedWrite.PrepareAsync(db, cancellationToken);
        return new Prepared(write, OrderView.From(order, ticket));
    }

    private sealed record Prepared(PreparedWrite Write, OrderView View);

    /// <summary>
    /// Inside the group commit's transaction: the prepared statements, each under the token or stamp
    /// the request read. A ticket changed since loses, explained; a gate renewed since (another
    /// reservation of this buyer), or made since by their first reservation, sends the reservation to
    /// be placed again, counted under the lock.
    /// </summary>
    private async Task<OrderView> PlacePreparedAsync(TicketingDbContext db, Guid buyerId, SeenState seen, Prepared prepared)
    {
        return await prepared.Write.WriteAsync(db, CancellationToken.None) switch
        {
            null => prepared.View,
            BuyerReservationGate => await PlaceAsync(db, buyerId, seen, firstAttempt: 2),
            _ => throw await ExplainLostReservationAsync(db, seen.Ticket.Id, seen.TicketUpdatedAt),
        };
    }

    /// <summary>
    /// Inside the group commit's transaction. First on what the request read: the save names the
    /// ticket's token and the gate's stamp it saw, so a ticket changed since (another buyer's order,
    /// a price edit) loses, explained, and a gate renewed since (another reservation of this buyer)
    /// sends the reservation to count again, under the lock, with every reservation written before it.
    /// From <paramref name="firstAttempt"/> 2 on, it reads the ticket and counts again under the lock.
    /// </summary>
    private async Task<OrderView> PlaceAsync(TicketingDbContext db, Guid buyerId, SeenState seen, int firstAttempt)
    {
        for (var attempt = firstAttempt; ; attempt++)
        {
            var now = clock.GetUtcNow();
            Ticket ticket;
            if (attempt == 1)
            {
                ticket = seen.Ticket;
                db.Attach(ticket).Property(ConcurrencyToken.PropertyName).OriginalValue = seen.TicketToken;
                if (seen.Gate is { } gate)
                {
                    db.Attach(gate).Entity.Stamp = Guid.NewGuid();
                }
                else
                {
                    await PassBuyerGateAsync(db, buyerId, now, CancellationToken.None);
                }
            }
            else
            {
                ticket = await ListedTicket(db, seen.Ticket.Id, CancellationToken.None)
                    ?? throw await ExplainLostReservationAsync(db, seen.Ticket.Id, seen.TicketUpdatedAt);
                if (ticket.Version != seen.TicketVersion)
                {
                    throw await ExplainLostReservationAsync(db, seen.Ticket.Id, seen.TicketUpdatedAt);
                }

                await PassBuyerGateAsync(db, buyerId, now, CancellationToken.None);
            }

            var order = Order.Place(Guid.NewGuid(), buyerId, ticket.Id, ticket.Title, ticket.Price, now, options.Value.ReservationWindow);
            db.Orders.Add(order);
            try
            {
                // The Tickets context locks the ticket in this same save (LockTicketOnOrderCreated).
                await db.SaveChangesAsync(CancellationToken.None);
                return OrderView.From(order, ticket);
            }
            catch (DbUpdateConcurrencyException ex) when (ex.Entries.Any(e => e.Entity is BuyerReservationGate))
            {
                // Another reservation of this buyer committed since the request read the gate: count
                // their live orders again. (On SQL Server, another instance's batch can also commit
                // between this transaction's count and its save.)
                if (attempt >= MaxGateAttempts)
                {
                    throw new BusinessRuleViolationException(new BuyerMustStayWithinLiveOrderLimitRule(options.Value.MaxLiveOrdersPerBuyer, options.Value.MaxLiveOrdersPerBuyer));
                }

                db.DiscardUnsaved();
            }
            catch (DbUpdateConcurrencyException)
            {
                throw await ExplainLostReservationAsync(db, seen.Ticket.Id, seen.TicketUpdatedAt);
            }
        }
    }

    // Compiled once: every reservation runs these, and translating the LINQ each time cost more CPU
    // than running the SQL.
    private static readonly Func<TicketingDbContext, Guid, CancellationToken, Task<Ticket?>> ListedTicket =
        EF.CompileAsyncQuery((TicketingDbContext db, Guid id, CancellationToken _) =>
            db.Tickets.FirstOrDefault(t => t.Id == id && !t.IsWithdrawn));

    /// <summary>The buyer's gate row (tracked: the save renews its stamp) and their live orders, in one query.</summary>
    private static readonly Func<TicketingDbContext, Guid, DateTimeOffset, CancellationToken, Task<GateReading?>> BuyerGate =
        EF.CompileAsyncQuery((TicketingDbContext db, Guid buyerId, DateTimeOffset now, CancellationToken _) =>
            db.Set<BuyerReservationGate>()
                .Where(g => g.BuyerId == buyerId)
                .Select(g => new GateReading(
                    g,
                    db.Orders.Count(o => o.BuyerId == buyerId
                        && (o.Status == OrderStatus.Created || o.Status == OrderStatus.AwaitingPayment)
                        && o.ExpiresAt > now)))
                .FirstOrDefault());

    private sealed record GateReading(BuyerReservationGate Gate, int LiveOrders);

    /// <summary>The buyer's live orders, for a first reservation, which has no gate row to read them with.</summary>
    private static readonly Func<TicketingDbContext, Guid, DateTimeOffset, CancellationToken, Task<int>> LiveOrders =
        EF.CompileAsyncQuery((TicketingDbContext db, Guid buyerId, DateTimeOffset now, CancellationToken _) =>
            db.Orders.Count(o => o.BuyerId == buyerId
                && (o.Status == OrderStatus.Created || o.Status == OrderStatus.AwaitingPayment)
                && o.ExpiresAt > now));

    /// <summary>
    /// Refuses a buyer at the limit, and renews their gate stamp so that this save fails if any other
    /// reservation of theirs commits between the count and the save. Under SQLite's write lock none
    /// can; on SQL Server another instance's group commit can.
    /// </summary>
    private async Task PassBuyerGateAsync(TicketingDbContext db, Guid buyerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reading = await BuyerGate(db, buyerId, now, cancellationToken);
        if (reading is null)
        {
            // The buyer's first reservation: the gate is made and read back in the group commit's
            // transaction, so an account deletion cannot remove it in between (it waits for the
            // commit; the reservation then finds the account closed, see ReserveAsync).
            await CreateBuyerGateAsync(db, buyerId, cancellationToken);
            reading = await BuyerGate(db, buyerId, now, cancellationToken)
                ?? throw new InvalidOperationException("A gate row made in this transaction cannot be missing from it.");
        }

        CheckLiveOrderLimit(reading.LiveOrders);
        reading.Gate.Stamp = Guid.NewGuid();
    }

    // An order past its expiresAt holds nothing any more, even before the expiry job has run: the
    // count leaves it out.
    private void CheckLiveOrderLimit(int liveOrders)
    {
        var rule = new BuyerMustStayWithinLiveOrderLimitRule(liveOrders, options.Value.MaxLiveOrdersPerBuyer);
        if (rule.IsBroken())
        {
            throw new BusinessRuleViolationException(rule);
        }
    }

    /// <summary>
    /// A buyer's first reservation makes their gate row, in one statement that does nothing when the
    /// row exists, so that two first reservations at once do not fail on the key. SQLite runs it
    /// under its single write lock; on SQL Server the lock hints hold the key range until it is done.
    /// </summary>
    private static Task CreateBuyerGateAsync(TicketingDbContext db, Guid buyerId, CancellationToken cancellationToken)
    {
        var stamp = Guid.NewGuid();
        return db is SqlServerTicketingDbContext
            ? db.Database.ExecuteSqlAsync(
                $"INSERT INTO buyer_reservation_gates (BuyerId, Stamp) SELECT {buyerId}, {stamp} WHERE NOT EXISTS (SELECT 1 FROM buyer_reservation_gates WITH (UPDLOCK, HOLDLOCK) WHERE BuyerId = {buyerId})",
                cancellationToken)
            : db.Database.ExecuteSqlAsync(
                $"INSERT INTO buyer_reservation_gates (BuyerId, Stamp) SELECT {buyerId}, {stamp} WHERE NOT EXISTS (SELECT 1 FROM buyer_reservation_gates WHERE BuyerId = {buyerId})",
                cancellationToken);
    }

    /// <summary>
    /// Cancels a live order (the buyer's own, or any as an admin) and unlocks its ticket. The save
    /// is guarded by the order's token, like a payment's claim: a cancel refused while a charge is in
    /// flight, and a claim refused once the cancel committed (docs/decisions/0013).
    /// </summary>
    public async Task<ShownOrder> CancelAsync(Actor actor, Guid orderId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var order = await db.Orders.FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken)
                ?? throw new NotFoundException("Order not found");
            var isOwner = order.BuyerId == actor.UserId;
            if (!isOwner && !actor.IsAdmin)
            {
                throw new AccessDeniedException();
            }

            var reason = isOwner ? CancellationReason.User : CancellationReason.Admin;
            var cancelledNow = order.Cancel(reason, clock.GetUtcNow());
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                if (cancelledNow)
                {
                    LogCancelled(order.Id, reason);
                }

                var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == order.TicketId, cancellationToken);
                return ShownOrder.From(order, ticket);
            }
            catch (DbUpdateConcurrencyException) when (attempt < SaveRetries.MaxAttempts)
            {
                // Claimed for a payment, paid, expired or cancelled meanwhile: decide again on the fresh state.
            }
            catch (DbUpdateConcurrencyException)
            {
                // Only payment attempts write an order this often (claim, release, claim again):
                // the API's answer for a cancel that meets one is this 400, never a 409.
                throw new BusinessRuleViolationException(new PaymentMustNotBeInProgressRule(inProgress: true));
            }
        }
    }

    public async Task<OrderView> GetAsync(Actor actor, Guid orderId, CancellationToken cancellationToken = default) =>
        (await ShowAsync(actor, orderId, cancellationToken)).Order;

    /// <summary>The order for its page: as <see cref="GetAsync"/>, with why it was cancelled.</summary>
    public async Task<ShownOrder> ShowAsync(Actor actor, Guid orderId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken)
            ?? throw new NotFoundException("Order not found");
        if (order.BuyerId != actor.UserId && !actor.IsAdmin)
        {
            throw new AccessDeniedException();
        }

        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == order.TicketId, cancellationToken);
        return ShownOrder.From(order, ticket);
    }

    /// <summary>
    /// A lost race is always a 400 (the API promises no other answer to a reservation): another
    /// buyer's order placed after the ticket state we read means "already reserved", even if that
    /// order has been cancelled again since; otherwise the seller changed the listing under us.
    /// (An order committed before our read had locked the ticket, so it is not newer than what we read.)
    /// </summary>
    private static async Task<DomainException> ExplainLostReservationAsync(TicketingDbContext db, Guid ticketId, DateTimeOffset seenUpdatedAt)
    {
        var current = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticketId);
        if (current is null or { IsWithdrawn: true })
        {
            return new NotFoundException("Ticket not found");
        }

        var anotherBuyerWon = current.IsLocked
            || await db.Orders.AnyAsync(o => o.TicketId == ticketId && o.CreatedAt > seenUpdatedAt);
        return anotherBuyerWon
            ? new BusinessRuleViolationException(new TicketMustBeAvailableRule(TicketStatus.Reserved))
            : new BusinessRuleViolationException(new TicketMustNotChangeWhileReservingRule(changedBySeller: true));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} reserved ticket {TicketId} for buyer {BuyerId} until {ExpiresAt:O}")]
    private partial void LogReserved(Guid orderId, Guid ticketId, Guid buyerId, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} cancelled ({Reason})")]
    private partial void LogCancelled(Guid orderId, CancellationReason reason);
}
