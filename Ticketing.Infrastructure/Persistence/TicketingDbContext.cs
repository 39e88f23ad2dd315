using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Domain.Common;
using Ticketing.Domain.Delivery;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Audit;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// The one model of the app: Identity, the contexts' tables and the outbox. Saving runs the
/// in-transaction reactions and writes every raised event to the outbox in the same transaction
/// (see <see cref="DomainEventPipeline"/>). Each provider has its own subclass so that each keeps
/// its own migration set.
/// </summary>
/// <remarks>
/// Contexts are pooled: one disposed goes back to the pool, and forgets here what EF Core's own reset
/// does not know of (its events not saved, its events saved in a transaction, its kept commands).
/// </remarks>
public abstract class TicketingDbContext(DbContextOptions options)
    : IdentityDbContext<AppUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    private readonly DomainEventPipeline? pipeline = options.FindExtension<DomainEventsOptions>()?.Pipeline;

    private readonly List<IDomainEvent> _published = [];

    // Events of saves inside an explicit transaction, for the on-commit handlers once it commits.
    private List<IDomainEvent>? _savedInTransaction;

    private KeptCommands? _keptCommands;

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
    /// After committing an explicit transaction: wakes the dispatcher and hands the events its saves
    /// wrote to the on-commit handlers, as an autocommitted save does. Whoever commits without calling
    /// this leaves those events to the outbox dispatcher alone.
    /// </summary>
    internal void HandOverCommitted()
    {
        if (pipeline is not null && _savedInTransaction is { Count: > 0 } committed)
        {
            pipeline.AfterCommit(committed);
        }

        _savedInTransaction = null;
    }

    /// <summary>
    /// What a save runs before it writes — the in-transaction reactions, the outbox rows, the renewed
    /// tokens — without writing: for <see cref="PreparedWrite"/>, which writes the changes elsewhere.
    /// </summary>
    internal Task<IReadOnlyList<IDomainEvent>> PrepareSaveAsync(CancellationToken cancellationToken) =>
        (pipeline ?? throw new InvalidOperationException("This context saves no events.")).BeforeSaveAsync(this, cancellationToken);

    /// <summary>Events whose outbox rows a <see cref="PreparedWrite"/> wrote in this context's transaction, for the on-commit handlers.</summary>
    internal void WroteInTransaction(IReadOnlyList<IDomainEvent> events) => (_savedInTransaction ??= []).AddRange(events);

    /// <summary>Statements this context runs many times, each compiled once (<see cref="PreparedWrite"/>).</summary>
    internal KeptCommands KeptCommands => _keptCommands ??= new(this);

    /// <summary>How many events this transaction's saves have written so far (see <see cref="ForgetSavedSince"/>).</summary>
    internal int SavedInTransaction => _savedInTransaction?.Count ?? 0;

    /// <summary>
    /// Forgets the events saved after <paramref name="mark"/>: their writes were rolled back to a
    /// savepoint, so they must not reach the on-commit handlers when the transaction commits.
    /// </summary>
    internal void ForgetSavedSince(int mark) => _savedInTransaction?.RemoveRange(mark, _savedInTransaction.Count - mark);

    /// <summary>Forgets every tracked change and every event not saved yet, as if the context were new.</summary>
    internal void DiscardUnsaved()
    {
        ChangeTracker.Clear();
        _published.Clear();
    }

    public override void Dispose()
    {
        _keptCommands?.Dispose();
        Forget();
        base.Dispose();
    }

    public override async ValueTask DisposeAsync()
    {
        if (_keptCommands is not null)
        {
            await _keptCommands.DisposeAsync();
        }

        Forget();
        await base.DisposeAsync();
    }

    /// <summary>Before the context goes back to the pool: the next lease starts as a new context would.</summary>
    private void Forget()
    {
        _keptCommands = null;
        _published.Clear();
        _savedInTransaction = null;
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
        if (events.Count > 0)
        {
            if (Database.CurrentTransaction is null)
            {
                pipeline.AfterCommit(events);
            }
            else
            {
                (_savedInTransaction ??= []).AddRange(events);
            }
        }

        return written;
    }

    /// <summary>
    /// Enums are stored by name, so that a row reads on its own and a reordered enum cannot change what
    /// it says; each enum's column is as wide as its names need.
    /// </summary>
    protected sealed override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        ConfigureProviderConventions(builder);
        StoreByName<TicketStatus>(16);
        StoreByName<TicketFileKind>(8);
        StoreByName<OrderStatus>(24);
        StoreByName<CancellationReason>(16);
        StoreByName<PaymentAttemptState>(24);
        StoreByName<PaymentStatus>(16);
        StoreByName<RefundReason>(24);
        StoreByName<AuditStep>(32);
        StoreByName<AuditActor>(16);

        void StoreByName<TEnum>(int maxLength)
            where TEnum : struct, Enum =>
            builder.Properties<TEnum>().HaveConversion<string>().HaveMaxLength(maxLength);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(TicketingDbContext).Assembly);
        foreach (var type in builder.Model.GetEntityTypes().Select(e => e.ClrType).ToList())
        {
            if (type.IsAssignableTo(typeof(AggregateRoot)))
            {
                MapAggregate(builder.Entity(type));
            }
            else if (type.IsAssignableTo(typeof(ClaimableRow)))
            {
                MapClaims(builder.Entity(type));
            }
        }
    }

    /// <summary>
    /// What every aggregate shares: the id its factory assigned, the events it raised (published on
    /// save, never stored), and the optimistic-concurrency column of the rows buyers race for. SQL
    /// Server has a real <c>rowversion</c>; SQLite has none, so <see cref="ConcurrencyToken"/> renews an
    /// ordinary column on every write (docs/decisions/0002).
    /// </summary>
    private void MapAggregate(EntityTypeBuilder aggregate)
    {
        aggregate.HasKey(nameof(AggregateRoot.Id));
        aggregate.Property(nameof(AggregateRoot.Id)).ValueGeneratedNever();
        aggregate.Ignore(nameof(AggregateRoot.DomainEvents));
        ConfigureConcurrencyToken(aggregate.Property<byte[]>(ConcurrencyToken.PropertyName));
    }

    private static void MapClaims(EntityTypeBuilder row)
    {
        row.Property(nameof(ClaimableRow.LastError)).HasMaxLength(ClaimableRow.MaxErrorLength);
        row.Property(nameof(ClaimableRow.LockedBy)).HasMaxLength(ClaimableRow.MaxClaimantLength);
    }

    /// <summary>How the provider stores the types it has no native column for.</summary>
    protected abstract void ConfigureProviderConventions(ModelConfigurationBuilder builder);

    protected abstract void ConfigureConcurrencyToken(PropertyBuilder<byte[]> token);
}
