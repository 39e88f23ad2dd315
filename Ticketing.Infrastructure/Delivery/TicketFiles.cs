using System.Security.Cryptography;
using Ticketing.Domain.Delivery;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Infrastructure.Delivery;

/// <summary>What the seller (or an admin) sees of an attached file; never the bytes.</summary>
public sealed record TicketFileView(Guid TicketId, string FileName, string ContentType, int Size, string Sha256, DateTimeOffset AttachedAt)
{
    public static TicketFileView From(TicketFile file) =>
        new(file.TicketId, file.FileName, file.Kind.ContentType(), file.Size, file.Sha256, file.AttachedAt);
}

/// <summary>A file to hand over: its name, type and bytes.</summary>
public sealed record TicketFileContent(string FileName, string ContentType, byte[] Content);

/// <summary>The seller's side of delivery: attach, replace or remove a listing's ticket file, and read it back.</summary>
[Scoped]
public sealed partial class TicketFiles(
    IDbContextFactory<TicketingDbContext> contexts,
    ITicketFileStore store,
    TimeProvider clock,
    ILogger<TicketFiles> logger)
{
    /// <summary>
    /// Checks the bytes first (kind by content, whole structure, size), so that a refused file
    /// leaves nothing behind; then stores them and points the listing at them.
    /// </summary>
    public async Task<TicketFileView> AttachAsync(Actor seller, Guid ticketId, string? fileName, byte[] content, CancellationToken cancellationToken = default)
    {
        var kind = TicketFileCheck.Inspect(content);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var ticket = await FindOwnTicketAsync(db, seller, ticketId, forChange: true, cancellationToken);
            var file = await db.Set<TicketFile>().FirstOrDefaultAsync(f => f.TicketId == ticketId, cancellationToken);
            CheckMayChange(ticket, file, file is null ? TicketDeliveryChange.FileAttached : TicketDeliveryChange.FileReplaced);

            var key = Guid.NewGuid().ToString("N");
            var now = clock.GetUtcNow();
            var replacedKey = file?.StorageKey;
            await store.WriteAsync(db, key, content, cancellationToken);
            if (file is null)
            {
                file = TicketFile.Attach(ticketId, ticket.SellerId, fileName, kind, content.Length, sha256, key, now);
                db.Add(file);
            }
            else
            {
                file.Replace(fileName, kind, content.Length, sha256, key, now);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < SaveRetries.MaxAttempts)
            {
                // A buyer reserved the ticket (or the seller edited it) between our read and this save:
                // decide again on the ticket as it is now.
                await store.DeleteAsync(db, key, CancellationToken.None);
                continue;
            }
            catch (DbUpdateException)
            {
                // Another upload for this listing committed first (the key is the ticket's id).
                await store.DeleteAsync(db, key, CancellationToken.None);
                throw new ConcurrencyConflictException("The ticket file was changed at the same time; reload and try again");
            }

            if (replacedKey is not null)
            {
                await store.DeleteAsync(db, replacedKey, CancellationToken.None);
            }

            LogAttached(ticketId, file.Kind, file.Size, file.Sha256);
            return TicketFileView.From(file);
        }
    }

    /// <summary>Takes the file off a listing that is still on the market; it then reads "the seller sends it after the sale".</summary>
    public async Task RemoveAsync(Actor seller, Guid ticketId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var ticket = await FindOwnTicketAsync(db, seller, ticketId, forChange: true, cancellationToken);
            var file = await db.Set<TicketFile>().FirstOrDefaultAsync(f => f.TicketId == ticketId, cancellationToken)
                ?? throw new NotFoundException("This listing has no ticket file");
            CheckMayChange(ticket, file, TicketDeliveryChange.FileRemoved);
            db.Remove(file);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < SaveRetries.MaxAttempts)
            {
                continue;
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new ConcurrencyConflictException("The ticket was changed at the same time; reload and try again");
            }

            await store.DeleteAsync(db, file.StorageKey, CancellationToken.None);
            return;
        }
    }

    /// <summary>
    /// After a refund put the ticket back on sale, takes off the file the refunded buyer could
    /// download: it must not be sold a second time. A file attached after the refund (the seller's
    /// fresh one) stays. Whatever the listing's state, it is the seller's file no buyer may still
    /// rely on, so the usual rules for changing it do not apply; the ticket row's token still decides
    /// a reservation racing this change. Returns the seller's id when a file was taken off.
    /// </summary>
    internal async Task<Guid?> RetireAsync(Guid ticketId, DateTimeOffset refundedAt, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == ticketId, cancellationToken);
            var file = await db.Set<TicketFile>().FirstOrDefaultAsync(f => f.TicketId == ticketId, cancellationToken);
            if (ticket is null || file is null || file.AttachedAt > refundedAt)
            {
                return null;
            }

            if (!ticket.IsLocked && !ticket.IsWithdrawn)
            {
                ticket.ChangeDelivery(TicketDeliveryChange.FileTakenOffAfterRefund, clock.GetUtcNow());
            }

            db.Remove(file);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < SaveRetries.MaxAttempts)
            {
                continue;
            }

            await store.DeleteAsync(db, file.StorageKey, CancellationToken.None);
            LogRetired(ticketId);
            return ticket.SellerId;
        }
    }

    /// <summary>
    /// A file may be replaced or removed only while the listing is on the market, and that change goes
    /// through the ticket row (<see cref="Ticket.ChangeDelivery"/>), so a buyer always receives the
    /// file the listing had when they reserved it. A sold or reserved listing without a file may still
    /// get one: that is the seller sending it after the sale, and it touches nothing the buyer holds.
    /// </summary>
    private void CheckMayChange(Ticket ticket, TicketFile? file, TicketDeliveryChange change)
    {
        var rule = new TicketFileMayChangeRule(ticket.Status, file is not null);
        if (rule.IsBroken())
        {
            throw new BusinessRuleViolationException(rule);
        }

        if (!ticket.IsLocked)
        {
            ticket.ChangeDelivery(change, clock.GetUtcNow());
        }
    }

    /// <summary>The listing's file as its seller or an admin sees it; null when none is attached.</summary>
    public async Task<TicketFileView?> DescribeAsync(Actor seller, Guid ticketId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await FindOwnTicketAsync(db, seller, ticketId, forChange: false, cancellationToken);
        var file = await db.Set<TicketFile>().AsNoTracking().FirstOrDefaultAsync(f => f.TicketId == ticketId, cancellationToken);
        return file is null ? null : TicketFileView.From(file);
    }

    /// <summary>The seller's own copy, to check what buyers will get.</summary>
    public async Task<TicketFileContent> ReadAsync(Actor seller, Guid ticketId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await FindOwnTicketAsync(db, seller, ticketId, forChange: false, cancellationToken);
        var file = await db.Set<TicketFile>().AsNoTracking().FirstOrDefaultAsync(f => f.TicketId == ticketId, cancellationToken)
            ?? throw new NotFoundException("This listing has no ticket file");
        return await ContentOfAsync(db, store, file, cancellationToken);
    }

    /// <summary>Whether a listing comes with its file (public: it tells buyers how the ticket is delivered, nothing of the file).</summary>
    public async Task<bool> HasFileAsync(Guid ticketId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<TicketFile>().AnyAsync(f => f.TicketId == ticketId, cancellationToken);
    }

    /// <summary>
    /// When the seller of a listing sold without its file must attach it: the deadline the buyer of
    /// its paid order was given; null when no paid order waits for a file.
    /// </summary>
    public async Task<DateTimeOffset?> FileDueByAsync(Actor seller, Guid ticketId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await FindOwnTicketAsync(db, seller, ticketId, forChange: false, cancellationToken);
        var due = await DeadlinesAsync(db, [ticketId], sellerId: null, cancellationToken);
        return due.TryGetValue(ticketId, out var by) ? by : null;
    }

    /// <summary>
    /// <see cref="FileDueByAsync"/> for the seller's listings among <paramref name="ticketIds"/> (a
    /// page of them), in one query: the listings sold without a file that still have none, each with
    /// its deadline. Others' listings are left out.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, DateTimeOffset>> FilesDueByAsync(Actor seller, IReadOnlyCollection<Guid> ticketIds, CancellationToken cancellationToken = default)
    {
        if (ticketIds.Count == 0)
        {
            return new Dictionary<Guid, DateTimeOffset>();
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await DeadlinesAsync(db, ticketIds, seller.IsAdmin ? null : seller.UserId, cancellationToken);
    }

    private static async Task<Dictionary<Guid, DateTimeOffset>> DeadlinesAsync(
        TicketingDbContext db, IReadOnlyCollection<Guid> ticketIds, Guid? sellerId, CancellationToken cancellationToken)
    {
        // Through the listings' orders (indexed by ticket), each to its e-ticket and its listing by key.
        // Only paid orders have an e-ticket; which of them is still paid is picked from those few rows
        // here, since a status in the query leads SQLite to the index on status, that is every paid
        // order in the market, rather than to the listings' own orders.
        var rows = await (
            from order in db.Orders.AsNoTracking()
            where ticketIds.Contains(order.TicketId)
            join eTicket in db.Set<ETicket>() on order.Id equals eTicket.OrderId
            join ticket in db.Tickets on order.TicketId equals ticket.Id
            where eTicket.SellerSendsBy != null
                && (sellerId == null || ticket.SellerId == sellerId)
                && !db.Set<TicketFile>().Any(f => f.TicketId == order.TicketId)
            select new { order.TicketId, order.Status, eTicket.IssuedAt, eTicket.SellerSendsBy }).ToListAsync(cancellationToken);

        // Should a listing have more than one paid order, the latest sale's deadline stands.
        return rows.Where(r => r.Status == OrderStatus.Complete)
            .GroupBy(r => r.TicketId)
            .ToDictionary(g => g.Key, g => g.MaxBy(r => r.IssuedAt)!.SellerSendsBy!.Value);
    }

    internal static async Task<TicketFileContent> ContentOfAsync(TicketingDbContext db, ITicketFileStore store, TicketFile file, CancellationToken cancellationToken)
    {
        var bytes = await store.ReadAsync(db, file.StorageKey, cancellationToken)
            ?? throw new InvalidOperationException($"The stored bytes of ticket {file.TicketId}'s file are missing.");
        return new TicketFileContent(file.FileName, file.Kind.ContentType(), bytes);
    }

    /// <summary>The listing, when the caller is its seller or an admin (401 otherwise, as for editing it).</summary>
    private static async Task<Ticket> FindOwnTicketAsync(TicketingDbContext db, Actor seller, Guid ticketId, bool forChange, CancellationToken cancellationToken)
    {
        var tickets = forChange ? db.Tickets : db.Tickets.AsNoTracking();
        var ticket = await tickets.FirstOrDefaultAsync(t => t.Id == ticketId && !t.IsWithdrawn, cancellationToken)
            ?? throw new NotFoundException("Ticket not found");
        return ticket.SellerId == seller.UserId || seller.IsAdmin ? ticket : throw new AccessDeniedException();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {TicketId} has its file: {Kind}, {Size} bytes, sha256 {Sha256}")]
    private partial void LogAttached(Guid ticketId, TicketFileKind kind, int size, string sha256);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {TicketId} is back on sale after a refund; the file its refunded buyer had is taken off")]
    private partial void LogRetired(Guid ticketId);
}
