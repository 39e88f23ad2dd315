using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Common;
using Ticketing.Domain.Tickets;
using Ticketing.Domain.Tickets.Rules;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Infrastructure.Tickets;

/// <summary>Who is asking: the signed-in user's id and whether they hold the Admin role.</summary>
public sealed record Actor(Guid UserId, bool IsAdmin = false);

public sealed record TicketInput(string? Title, decimal Price, DateTimeOffset? EventDate = null, string? Venue = null, string? Description = null);

/// <summary>The Tickets context's use cases: list, edit and withdraw listings, and read them.</summary>
public sealed class TicketListings(IDbContextFactory<TicketingDbContext> contexts, TimeProvider clock)
{
    public async Task<TicketView> CreateAsync(Actor seller, TicketInput input, CancellationToken cancellationToken = default)
    {
        var details = TicketDetails.Create(input.Title, input.Price, input.EventDate, input.Venue, input.Description);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ticket = Ticket.List(Guid.NewGuid(), seller.UserId, details, clock.GetUtcNow());
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync(cancellationToken);
        return TicketView.From(ticket);
    }

    /// <param name="expectedVersion">The version the editor saw; a newer one on the server is a conflict.</param>
    public async Task<TicketView> EditAsync(Actor editor, Guid ticketId, TicketInput input, int? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        var details = TicketDetails.Create(input.Title, input.Price, input.EventDate, input.Venue, input.Description);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ticket = await FindForChangeAsync(db, editor, ticketId, cancellationToken);
        if (ticket.IsLocked)
        {
            throw new BusinessRuleViolationException(new TicketMustNotBeLockedRule(ticket.Status));
        }

        if (expectedVersion is { } seen && seen != ticket.Version)
        {
            throw new ConcurrencyConflictException("The ticket was changed by someone else; reload it and try again");
        }

        ticket.Edit(details, clock.GetUtcNow());
        await SaveOrExplainAsync(db, ticketId, cancellationToken);
        return TicketView.From(ticket);
    }

    public async Task WithdrawAsync(Actor actor, Guid ticketId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ticket = await FindForChangeAsync(db, actor, ticketId, cancellationToken);
        ticket.Withdraw(clock.GetUtcNow());
        await SaveOrExplainAsync(db, ticketId, cancellationToken);
    }

    public async Task<TicketView?> FindAsync(Guid ticketId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticketId && !t.IsWithdrawn, cancellationToken);
        return ticket is null ? null : TicketView.From(ticket);
    }

    /// <summary>Every listing on the market, newest first; optionally only one status.</summary>
    public async Task<IReadOnlyList<TicketView>> ListAsync(TicketStatus? status = null, Guid? sellerId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Tickets.AsNoTracking().Where(t => !t.IsWithdrawn);
        if (status is { } s)
        {
            query = query.Where(t => t.Status == s);
        }

        if (sellerId is { } seller)
        {
            query = query.Where(t => t.SellerId == seller);
        }

        // Straight to the snapshot: materializing a thousand aggregates only to snapshot them costs
        // a fifth of the query's time.
        var rows = await query.OrderByDescending(t => t.CreatedAt)
            .Select(t => new
            {
                t.Id,
                t.Version,
                Snapshot = new TicketSnapshot(
                    t.SellerId, t.Title, t.Price, t.Status, t.OrderId, t.ReservedUntil, t.EventDate, t.Venue, t.Description, t.IsWithdrawn),
            })
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(r => TicketView.From(r.Id, r.Version, r.Snapshot));
    }

    private static async Task<Ticket> FindForChangeAsync(TicketingDbContext db, Actor actor, Guid ticketId, CancellationToken cancellationToken)
    {
        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == ticketId && !t.IsWithdrawn, cancellationToken)
            ?? throw new NotFoundException("Ticket not found");
        if (ticket.SellerId != actor.UserId && !actor.IsAdmin)
        {
            throw new AccessDeniedException();
        }

        return ticket;
    }

    /// <summary>A lost race on the ticket row becomes the reason it was lost, never a raw exception.</summary>
    private async Task SaveOrExplainAsync(TicketingDbContext db, Guid ticketId, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            await using var fresh = await contexts.CreateDbContextAsync(cancellationToken);
            var current = await fresh.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticketId, cancellationToken);
            if (current is { IsLocked: true })
            {
                throw new BusinessRuleViolationException(new TicketMustNotBeLockedRule(current.Status));
            }

            throw new ConcurrencyConflictException("The ticket was changed by someone else; reload it and try again");
        }
    }
}
