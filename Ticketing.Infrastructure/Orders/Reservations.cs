using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Domain.Tickets.Rules;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tickets;

namespace Ticketing.Infrastructure.Orders;

/// <summary>The Orders context's use cases: reserve a ticket, cancel an order, read orders.</summary>
public sealed partial class Reservations(
    IDbContextFactory<TicketingDbContext> contexts,
    TimeProvider clock,
    IOptions<OrderingOptions> options,
    ILogger<Reservations> logger)
{
    private const int MaxAttempts = 3;

    /// <summary>
    /// Places an order that locks the ticket for the reservation window. Of any number of buyers
    /// racing for one ticket exactly one wins; the others get "Ticket is already reserved".
    /// </summary>
    public async Task<OrderView> ReserveAsync(Actor buyer, Guid ticketId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == ticketId && !t.IsWithdrawn, cancellationToken)
            ?? throw new NotFoundException("Ticket not found");
        var seenUpdatedAt = ticket.UpdatedAt;

        var order = Order.Place(Guid.NewGuid(), buyer.UserId, ticket.Id, ticket.Title, ticket.Price, clock.GetUtcNow(), options.Value.ReservationWindow);
        db.Orders.Add(order);
        try
        {
            // The Tickets context locks the ticket in this same save (LockTicketOnOrderCreated).
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw await ExplainLostReservationAsync(ticketId, seenUpdatedAt, cancellationToken);
        }

        LogReserved(order.Id, ticket.Id, buyer.UserId, order.ExpiresAt);
        return OrderView.From(order, ticket);
    }

    /// <summary>Cancels a live order (the buyer's own, or any as an admin) and unlocks its ticket.</summary>
    public async Task<OrderView> CancelAsync(Actor actor, Guid orderId, CancellationToken cancellationToken = default)
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
                return OrderView.From(order, ticket);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                // Paid, expired or cancelled meanwhile: decide again on the fresh state.
            }
        }
    }

    public async Task<OrderView> GetAsync(Actor actor, Guid orderId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken)
            ?? throw new NotFoundException("Order not found");
        if (order.BuyerId != actor.UserId && !actor.IsAdmin)
        {
            throw new AccessDeniedException();
        }

        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == order.TicketId, cancellationToken);
        return OrderView.From(order, ticket);
    }

    /// <summary>
    /// A lost race is always a 400 (the API promises no other answer to a reservation): another
    /// buyer's order placed after the ticket state we read means "already reserved", even if that
    /// order has been cancelled again since; otherwise the seller changed the listing under us.
    /// (An order committed before our read had locked the ticket, so it is not newer than what we read.)
    /// </summary>
    private async Task<DomainException> ExplainLostReservationAsync(Guid ticketId, DateTimeOffset seenUpdatedAt, CancellationToken cancellationToken)
    {
        await using var fresh = await contexts.CreateDbContextAsync(cancellationToken);
        var current = await fresh.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticketId, cancellationToken);
        if (current is null or { IsWithdrawn: true })
        {
            return new NotFoundException("Ticket not found");
        }

        var anotherBuyerWon = current.IsLocked
            || await fresh.Orders.AnyAsync(o => o.TicketId == ticketId && o.CreatedAt > seenUpdatedAt, cancellationToken);
        return anotherBuyerWon
            ? new BusinessRuleViolationException(new TicketMustBeAvailableRule(TicketStatus.Reserved))
            : new BusinessRuleViolationException(new TicketMustNotChangeWhileReservingRule(changedBySeller: true));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} reserved ticket {TicketId} for buyer {BuyerId} until {ExpiresAt:O}")]
    private partial void LogReserved(Guid orderId, Guid ticketId, Guid buyerId, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} cancelled ({Reason})")]
    private partial void LogCancelled(Guid orderId, CancellationReason reason);
}
