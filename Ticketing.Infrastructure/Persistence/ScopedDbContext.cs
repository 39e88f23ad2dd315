using Microsoft.EntityFrameworkCore;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// The one <see cref="TicketingDbContext"/> of a scope, made on first use. Lets the outbox dispatcher
/// ask whether a handler touched the database at all without making a context to find out: most
/// handlers (live pushes, expiry timers) never do.
/// </summary>
public sealed class ScopedDbContext(IDbContextFactory<TicketingDbContext> contexts)
{
    private TicketingDbContext? _context;

    /// <summary>Disposed with the scope, which registered it (see <c>AddDatabase</c>).</summary>
    public TicketingDbContext Context => _context ??= contexts.CreateDbContext();

    /// <summary>The scope's context if anything in the scope has used it; otherwise null.</summary>
    public TicketingDbContext? IfCreated => _context;
}
