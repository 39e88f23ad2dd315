using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Events;

/// <summary>
/// What one dispatch pass commits: handlers that change nothing share one commit per batch; a
/// handler that changes the database commits with its delivery row at once; a failure keeps what
/// already ran; a batch that fails to complete is handed back for the next pass.
/// </summary>
public sealed class OutboxBatchCompletionTests : IDisposable
{
    private const int Tickets = 10;
    private readonly string _path = TicketingApp.NewDatabasePath();
    private readonly CommitCounter _commits = new();
    private readonly HandlerCalls _calls = new();

    [Fact]
    public async Task HandlersThatChangeNothing_AreRecordedWithTheBatch_InTwoCommits()
    {
        using var process = await ArrangeAsync(s => s
            .AddScoped<IEventHandler, FirstObserver>()
            .AddScoped<IEventHandler, SecondObserver>());

        var finished = await process.Services.GetRequiredService<OutboxDispatcher>().DispatchPendingAsync(CancellationToken.None);

        Assert.Equal(Tickets, finished);
        Assert.Equal(2 * Tickets, _calls.Total);
        Assert.Equal(2, _commits.Commits); // the claim, then deliveries and processed marks together
        await using var db = TestDatabase.Open(_path);
        Assert.Equal(2 * Tickets, await db.OutboxDeliveries.CountAsync());
        Assert.Equal(0, await db.OutboxMessages.CountAsync(m => m.ProcessedAt == null));
    }

    [Fact]
    public async Task AHandlerThatChangesTheDatabase_CommitsWithItsDeliveryRow_AtOnce()
    {
        using var process = await ArrangeAsync(s => s
            .AddScoped<IEventHandler, FirstObserver>()
            .AddScoped<IEventHandler, KeyWriter>());

        await process.Services.GetRequiredService<OutboxDispatcher>().DispatchPendingAsync(CancellationToken.None);

        Assert.Equal(2 + Tickets, _commits.Commits);
        await using var db = TestDatabase.Open(_path);
        Assert.Equal(Tickets, await db.DataProtectionKeys.CountAsync(k => k.FriendlyName!.StartsWith("written-by-handler")));
        Assert.Equal(Tickets, await db.OutboxDeliveries.CountAsync(d => d.Handler == nameof(KeyWriter)));
    }

    [Fact]
    public async Task WhenALaterHandlerFails_TheHandlersThatRanAreRecorded_AndNotRunAgain()
    {
        using var process = await ArrangeAsync(s => s
            .AddScoped<IEventHandler, FirstObserver>()
            .AddScoped<IEventHandler, FailingOnce>());
        var dispatcher = process.Services.GetRequiredService<OutboxDispatcher>();

        Assert.Equal(0, await dispatcher.DispatchPendingAsync(CancellationToken.None));
        await using (var db = TestDatabase.Open(_path))
        {
            Assert.Equal(Tickets, await db.OutboxDeliveries.CountAsync(d => d.Handler == nameof(FirstObserver)));
            Assert.All(await db.OutboxMessages.ToListAsync(), m => Assert.Equal(1, m.Attempts));

            // Skip the back-off.
            await db.OutboxMessages.ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, (DateTimeOffset?)null));
        }

        Assert.Equal(Tickets, await dispatcher.DispatchPendingAsync(CancellationToken.None));
        Assert.Equal(Tickets, _calls.Of(nameof(FirstObserver)));
        Assert.Equal(2 * Tickets, _calls.Of(nameof(FailingOnce)));
    }

    [Fact]
    public async Task WhenTheBatchFailsToComplete_ItIsHandedBack_AndTheNextPassTakesItAtOnce()
    {
        var completion = new FailingCompletion();
        using var process = await ArrangeAsync(s => s
            .AddScoped<IEventHandler, FirstObserver>()
            .ConfigureDbContext<SqliteTicketingDbContext>(o => o.AddInterceptors(completion)));
        var dispatcher = process.Services.GetRequiredService<OutboxDispatcher>();

        await Assert.ThrowsAsync<InvalidOperationException>(() => dispatcher.DispatchPendingAsync(CancellationToken.None));
        await using (var db = TestDatabase.Open(_path))
        {
            Assert.All(await db.OutboxMessages.ToListAsync(), m =>
            {
                Assert.Null(m.ProcessedAt);
                Assert.Null(m.LockedBy);
                Assert.Null(m.LockedUntil);
                Assert.Equal(0, m.Attempts);
            });
            Assert.Equal(0, await db.OutboxDeliveries.CountAsync());
        }

        // Without the hand-back the claim would hold the batch for OutboxOptions.ClaimDuration.
        Assert.Equal(Tickets, await dispatcher.DispatchPendingAsync(CancellationToken.None));
        Assert.Equal(2 * Tickets, _calls.Of(nameof(FirstObserver))); // at least once: its first runs were never recorded
        await using (var db = TestDatabase.Open(_path))
        {
            Assert.Equal(Tickets, await db.OutboxDeliveries.CountAsync());
            Assert.Equal(0, await db.OutboxMessages.CountAsync(m => m.ProcessedAt == null));
        }
    }

    [Fact]
    public async Task EachDelivery_BuildsOnlyTheHandlerItRuns()
    {
        using var process = await ArrangeAsync(s => s
            .AddScoped<IEventHandler, FirstObserver>()
            .AddScoped<IEventHandler, OrderObserver>());

        Assert.Equal(Tickets, await process.Services.GetRequiredService<OutboxDispatcher>().DispatchPendingAsync(CancellationToken.None));

        // Every handler is built once to learn the names of an event type's handlers; after that a
        // delivery builds only the handler it runs, never the handlers of other event types.
        Assert.Equal(Tickets, _calls.Of(nameof(FirstObserver)));
        Assert.Equal(1, _calls.Of($"built {nameof(OrderObserver)}"));
        Assert.Equal(0, _calls.Of(nameof(OrderObserver)));
    }

    [Fact]
    public async Task AHandlerRegisteredWithAFactory_IsBuiltByThatFactory()
    {
        using var process = await ArrangeAsync(s => s
            .AddScoped<IEventHandler, FirstObserver>()
            .AddScoped<IEventHandler>(sp => new LabelledObserver(sp.GetRequiredService<HandlerCalls>(), "from the factory")));

        Assert.Equal(Tickets, await process.Services.GetRequiredService<OutboxDispatcher>().DispatchPendingAsync(CancellationToken.None));

        Assert.Equal(Tickets, _calls.Of("from the factory"));
        await using var db = TestDatabase.Open(_path);
        Assert.Equal(Tickets, await db.OutboxDeliveries.CountAsync(d => d.Handler == nameof(LabelledObserver)));
    }

    public void Dispose() => TicketingApp.DeleteDatabase(_path);

    /// <summary>Ten committed, undispatched TicketCreated messages, and a dormant process to dispatch them.</summary>
    private async Task<DormantProcess> ArrangeAsync(Action<IServiceCollection> handlers)
    {
        using (var writer = DormantProcess.On(_path))
        {
            await using (var db = writer.Services.OpenDb())
            {
                await db.Database.MigrateAsync();
            }

            for (var i = 0; i < Tickets; i++)
            {
                await writer.Services.ListTicketAsync(Guid.NewGuid());
            }
        }

        var process = DormantProcess.On(_path, services =>
        {
            services.AddSingleton(_calls);
            services.ConfigureDbContext<SqliteTicketingDbContext>(o => o.AddInterceptors(_commits));
            handlers(services);
        });
        _commits.Reset();
        return process;
    }

    private sealed class HandlerCalls
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _calls = new();

        public int Total => _calls.Values.Sum();

        public int Of(string handler) => _calls.GetValueOrDefault(handler);

        public int Count(string handler) => _calls.AddOrUpdate(handler, 1, (_, n) => n + 1);
    }

    private sealed class FirstObserver(HandlerCalls calls) : CommittedEventHandler<TicketCreated>
    {
        protected override Task HandleAsync(TicketCreated domainEvent, CancellationToken cancellationToken)
        {
            calls.Count(nameof(FirstObserver));
            return Task.CompletedTask;
        }
    }

    private sealed class SecondObserver(HandlerCalls calls) : CommittedEventHandler<TicketCreated>
    {
        protected override Task HandleAsync(TicketCreated domainEvent, CancellationToken cancellationToken)
        {
            calls.Count(nameof(SecondObserver));
            return Task.CompletedTask;
        }
    }

    /// <summary>A handler of another event type; it counts each time it is built.</summary>
    private sealed class OrderObserver : CommittedEventHandler<Domain.Orders.OrderCreated>
    {
        private readonly HandlerCalls _calls;

        public OrderObserver(HandlerCalls calls)
        {
            _calls = calls;
            calls.Count($"built {nameof(OrderObserver)}");
        }

        protected override Task HandleAsync(Domain.Orders.OrderCreated domainEvent, CancellationToken cancellationToken)
        {
            _calls.Count(nameof(OrderObserver));
            return Task.CompletedTask;
        }
    }

    /// <summary>A handler whose constructor takes a value the container cannot give: only its factory can build it.</summary>
    private sealed class LabelledObserver(HandlerCalls calls, string label) : CommittedEventHandler<TicketCreated>
    {
        protected override Task HandleAsync(TicketCreated domainEvent, CancellationToken cancellationToken)
        {
            calls.Count(label);
            return Task.CompletedTask;
        }
    }

    private sealed class KeyWriter(TicketingDbContext db) : CommittedEventHandler<TicketCreated>
    {
        protected override Task HandleAsync(TicketCreated domainEvent, CancellationToken cancellationToken)
        {
            db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = $"written-by-handler-{domainEvent.AggregateId}", Xml = "<key/>" });
            return Task.CompletedTask;
        }
    }

    /// <summary>Fails the first statement that marks messages processed, as a full disk would.</summary>
    private sealed class FailingCompletion : DbCommandInterceptor
    {
        private int _failed;

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            command.CommandText.StartsWith("UPDATE \"outbox_messages\"", StringComparison.Ordinal)
                && command.CommandText.Contains("\"ProcessedAt\" =", StringComparison.Ordinal)
                && Interlocked.Exchange(ref _failed, 1) == 0
                    ? throw new InvalidOperationException("disk I/O error")
                    : ValueTask.FromResult(result);
    }

    private sealed class FailingOnce(HandlerCalls calls) : CommittedEventHandler<TicketCreated>
    {
        protected override Task HandleAsync(TicketCreated domainEvent, CancellationToken cancellationToken) =>
            calls.Count(nameof(FailingOnce)) <= Tickets
                ? throw new InvalidOperationException("Not yet")
                : Task.CompletedTask;
    }
}
