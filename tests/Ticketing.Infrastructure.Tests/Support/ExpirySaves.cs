using System.Collections.Concurrent;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Expiration;
using Ticketing.Domain.Orders;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>
/// Watches the saves that raise <see cref="ExpirationComplete"/>: how many committed and how many
/// expiries they carried (a save outside an explicit transaction is one commit), how many lost a
/// race. Can also run the test's own change just before the first of them writes, on one of the
/// orders it is about to cancel: a payment landing between the expiry's read and its commit.
/// </summary>
internal sealed class ExpirySaves : SaveChangesInterceptor
{
    private readonly ConcurrentDictionary<DbContext, int> _pending = new();
    private Func<Guid, Task>? _beforeFirst;
    private int _commits;
    private int _expiries;
    private int _conflicts;

    public int Commits => Volatile.Read(ref _commits);

    public int Expiries => Volatile.Read(ref _expiries);

    public int Conflicts => Volatile.Read(ref _conflicts);

    /// <summary>The app, with this watcher on every context it creates.</summary>
    public WebApplicationFactory<Program> Attach(TicketingApp app) =>
        app.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.ConfigureDbContext<SqliteTicketingDbContext>(o => o.AddInterceptors(this))));

    /// <summary>Runs <paramref name="change"/> (given the id of an order being expired) before the first expiry save writes.</summary>
    public void BeforeFirstSave(Func<Guid, Task> change) => _beforeFirst = change;

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        var context = eventData.Context!;
        var expiries = context.ChangeTracker.Entries<OutboxMessage>()
            .Count(e => e.State == EntityState.Added && e.Entity.Type == nameof(ExpirationComplete));
        if (expiries > 0)
        {
            _pending[context] = expiries;
            if (Interlocked.Exchange(ref _beforeFirst, null) is { } change)
            {
                var cancelling = context.ChangeTracker.Entries<Order>().First(e => e.State == EntityState.Modified).Entity.Id;
                await change(cancelling);
            }
        }

        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (_pending.TryRemove(eventData.Context!, out var expiries))
        {
            Interlocked.Increment(ref _commits);
            Interlocked.Add(ref _expiries, expiries);
        }

        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult> ThrowingConcurrencyExceptionAsync(ConcurrencyExceptionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (_pending.TryRemove(eventData.Context!, out _))
        {
            Interlocked.Increment(ref _conflicts);
        }

        return ValueTask.FromResult(result);
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        _pending.TryRemove(eventData.Context!, out _);
        return Task.CompletedTask;
    }
}
