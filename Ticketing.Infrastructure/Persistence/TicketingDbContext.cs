using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// The one model of the app: Identity, the contexts' tables and the outbox. Saving runs the
/// in-transaction reactions and writes every raised event to the outbox in the same transaction
/// (see <see cref="DomainEventPipeline"/>). Each provider has its own subclass so that each keeps
/// its own migration set.
/// </summary>
public abstract class TicketingDbContext(DbContextOptions options, DomainEventPipeline? pipeline)
    : IdentityDbContext<AppUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    private readonly List<IDomainEvent> _published = [];

    public DbSet<Ticket> Tickets => Set<Ticket>();

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<Payment> Payments => Set<Payment>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<OutboxDelivery> OutboxDeliveries => Set<OutboxDelivery>();

    /// <summary>Cookie-encryption keys, shared by every instance on this database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Publishes an event that no tracked aggregate raised (e.g. Expiration's), on the next save.</summary>
    public void Publish(IDomainEvent domainEvent) => _published.Add(domainEvent);

    internal List<IDomainEvent> TakePublished()
    {
        var events = _published.ToList();
        _published.Clear();
        return events;
    }

    /// <summary>
    /// Synchronous saves are for framework stores that write plain rows (Data Protection keys);
    /// anything that raised events must go through <see cref="SaveChangesAsync(bool, CancellationToken)"/>.
    /// </summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        if (pipeline is not null && (_published.Count > 0 || DomainEventPipeline.HasEventsToDispatch(this)))
        {
            throw new NotSupportedException("Use SaveChangesAsync: saving runs asynchronous event reactions.");
        }

        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (pipeline is null)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        var events = await pipeline.BeforeSaveAsync(this, cancellationToken);
        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        if (events.Count > 0 && Database.CurrentTransaction is null)
        {
            pipeline.AfterCommit(events);
        }

        return written;
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(TicketingDbContext).Assembly);
        ConfigureConcurrencyToken(builder.Entity<Ticket>());
        ConfigureConcurrencyToken(builder.Entity<Order>());
        ConfigureConcurrencyToken(builder.Entity<Payment>());
    }

    /// <summary>
    /// The optimistic-concurrency column on the rows buyers race for. SQL Server has a real
    /// <c>rowversion</c>; SQLite has none, so <see cref="ConcurrencyToken"/> renews an ordinary
    /// column on every write (docs/decisions/0002).
    /// </summary>
    protected abstract void ConfigureConcurrencyToken<TEntity>(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<TEntity> entity)
        where TEntity : class;
}
