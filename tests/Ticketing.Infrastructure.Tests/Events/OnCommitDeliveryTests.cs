using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Events;

/// <summary>
/// Live pushes leave from memory right after their commit, not when the outbox dispatcher gets to
/// them; the outbox still records each of them, runs any that did not run, and never runs one twice.
/// </summary>
public sealed class OnCommitDeliveryTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TheTicketLockIsPushed_WhileTheOutboxIsHeldUp_AndRecordedOnceItGetsThere()
    {
        var gate = new OutboxGate();
        var recorder = new LivePushRecorder();
        await using var app = new TicketingApp();
        var services = recorder.Attach(app)
            .WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton(gate).AddScoped<IEventHandler, HoldsTheOutboxOnOrderCreated>()))
            .Services;
        var ticketId = (await services.ListTicketAsync(Guid.NewGuid())).Id;
        await services.WaitForOutboxToSettleAsync();

        var order = await services.ReserveAsync(Guid.NewGuid(), ticketId);

        await TicketingApp.WaitUntilAsync(
            () => Task.FromResult(recorder.Tickets.Any(c => c.Kind == "TicketLocked" && c.Ticket.Id == ticketId)),
            TimeSpan.FromSeconds(30),
            "the lock is pushed while the dispatcher waits on the order's first handler");
        var locked = Assert.Single(await services.ReadOutboxAsync(ticketId), m => m.Type == "TicketLocked");
        Assert.Null(locked.ProcessedAt);

        // The dispatcher reaches OrderCreated's gate, which comes before TicketLocked, and stays there
        // until it is opened (under a full run's load the push may come before it gets there).
        await TicketingApp.WaitUntilAsync(() => Task.FromResult(gate.IsHolding), TimeSpan.FromSeconds(30), "the dispatcher is held on OrderCreated");
        Assert.Null((await services.ReadOutboxAsync(ticketId)).Single(m => m.Type == "TicketLocked").ProcessedAt);

        gate.Open();
        await services.WaitForOutboxToSettleAsync(Settle);

        Assert.Single(recorder.Tickets, c => c.Kind == "TicketLocked" && c.Ticket.Id == ticketId);
        Assert.Single(recorder.Orders, c => c.Order.Id == order.Id && c.Order.Status == "created");
        await using var db = services.OpenDb();
        Assert.True(await db.OutboxDeliveries.AnyAsync(d => d.MessageId == locked.Id && d.Handler == "TicketLivePush<TicketLocked>"));
        await EveryClaimIsMetAsync(services);
    }

    [Fact]
    public async Task HundredsOfParallelReservations_AreEachPushedOnce_AndEveryPushIsRecordedInTheOutbox()
    {
        const int Reservations = 300;
        var recorder = new LivePushRecorder();
        await using var app = new TicketingApp();
        var services = recorder.Attach(app).Services;
        var tickets = new List<Guid>();
        for (var i = 0; i < Reservations; i++)
        {
            tickets.Add((await services.ListTicketAsync(Guid.NewGuid())).Id);
        }

        await services.WaitForOutboxToSettleAsync(Settle);

        await Parallel.ForEachAsync(tickets, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (ticketId, _) =>
            await services.ReserveAsync(Guid.NewGuid(), ticketId));
        await services.WaitForOutboxToSettleAsync(Settle);

        var lockPushes = recorder.Tickets.Where(c => c.Kind == "TicketLocked").ToList();
        Assert.Equal(Reservations, lockPushes.Count);
        Assert.Equal(tickets.Order(), lockPushes.Select(c => c.Ticket.Id).Order());
        Assert.Equal(Reservations, recorder.Orders.Count(c => c.Order.Status == "created"));
        await using var db = services.OpenDb();
        var lockMessages = await db.OutboxMessages.Where(m => m.Type == "TicketLocked").Select(m => m.Id).ToListAsync();
        Assert.Equal(Reservations, await db.OutboxDeliveries.CountAsync(d => lockMessages.Contains(d.MessageId) && d.Handler == "TicketLivePush<TicketLocked>"));
        await EveryClaimIsMetAsync(services);
    }

    /// <summary>
    /// A handed-over event is claimed before the dispatcher is woken, so the dispatcher records it
    /// without running it, however far behind the lane is: were both to run an aggregate's pushes,
    /// a later version could leave before an earlier one (a payment's completion before its claim).
    /// </summary>
    [Fact]
    public async Task AnAggregatesHandedOverEvents_AreRunFromTheirLaneAlone_InOrder_WhileTheLaneIsHeldUp()
    {
        var gate = new OutboxGate();
        var recorder = new LivePushRecorder();
        await using var app = new TicketingApp();
        var services = recorder.Attach(app)
            .WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton(gate).AddScoped<IEventHandler, HoldsTheLaneOnTicketCreated>()))
            .Services;
        using var meter = new HostMeter(services, OnCommitDelivery.MeterName);
        var sellerId = Guid.NewGuid();

        var ticketId = (await services.ListTicketAsync(sellerId)).Id;
        await TicketingApp.WaitUntilAsync(() => Task.FromResult(gate.IsHolding), TimeSpan.FromSeconds(30), "the ticket's lane is held on TicketCreated");
        await services.EditPriceAsync(sellerId, ticketId, "Concert", 30m);
        await services.EditPriceAsync(sellerId, ticketId, "Concert", 35m);
        var held = System.Diagnostics.Stopwatch.StartNew();
        await services.WaitForOutboxToSettleAsync(Settle);

        // The dispatcher has recorded both edits as delivered; neither was pushed while the lane waited.
        Assert.DoesNotContain(recorder.Tickets, c => c.Kind == "TicketUpdated");
        await using (var db = services.OpenDb())
        {
            var edits = (await services.ReadOutboxAsync(ticketId)).Where(m => m.Type == "TicketUpdated").Select(m => m.Id).ToList();
            Assert.Equal(2, await db.OutboxDeliveries.CountAsync(d => edits.Contains(d.MessageId) && d.Handler == "TicketLivePush<TicketUpdated>"));
        }

        held.Stop();
        gate.Open();
        await TicketingApp.WaitUntilAsync(
            () => Task.FromResult(recorder.Tickets.Count(c => c.Kind == "TicketUpdated") >= 2), TimeSpan.FromSeconds(30), "both edits are pushed once the lane moves");
        await EveryClaimIsMetAsync(services);
        Assert.Equal([(1, 30m), (2, 35m)], recorder.Tickets.Where(c => c.Kind == "TicketUpdated").Select(c => (c.Ticket.Version, c.Ticket.Price)));

        // The meter tells how long they waited: the second edit at least as long as the lane was held after it.
        var waits = meter.Of(OnCommitDelivery.WaitInstrument).ConvertAll(m => m.Value);
        Assert.Equal(3, waits.Count);
        Assert.True(waits.Max() >= held.Elapsed.TotalSeconds, $"longest wait {waits.Max():0.000} s, held {held.Elapsed.TotalSeconds:0.000} s");
        Assert.Empty(meter.Of(OnCommitDelivery.LeftInstrument));
    }

    [Fact]
    public async Task AnOnCommitRunThatFails_IsRunByTheOutbox_AndRecordedOnce()
    {
        var gate = new OutboxGate();
        var calls = new FlakyCalls();
        await using var app = new TicketingApp(services: s => s
            .AddSingleton(gate)
            .AddSingleton(calls)
            .AddScoped<IEventHandler, HoldsTheOutboxOnTicketCreated>()
            .AddScoped<IEventHandler, FailsTheFirstTime>());
        using var meter = new HostMeter(app.Services, OnCommitDelivery.MeterName);
        var sellerId = Guid.NewGuid();

        // The on-commit run fails while the outbox's own delivery of the event waits at the gate; under
        // a full test run's load either may get there first, so the test waits for both.
        var ticketId = (await app.Services.ListTicketAsync(sellerId)).Id;
        await TicketingApp.WaitUntilAsync(() => Task.FromResult(calls.Count >= 1), TimeSpan.FromSeconds(30), "the on-commit run has failed");
        await TicketingApp.WaitUntilAsync(() => Task.FromResult(gate.IsHolding), TimeSpan.FromSeconds(30), "the outbox waits at the gate");
        gate.Open();
        await app.Services.WaitForOutboxToSettleAsync(Settle);

        Assert.Equal(2, calls.Count);
        var created = Assert.Single(await app.Services.ReadOutboxAsync(ticketId), m => m.Type == "TicketCreated");
        Assert.Equal(0, created.Attempts);
        await using var db = app.Services.OpenDb();
        Assert.Equal(1, await db.OutboxDeliveries.CountAsync(d => d.MessageId == created.Id && d.Handler == nameof(FailsTheFirstTime)));
        var left = Assert.Single(meter.Of(OnCommitDelivery.LeftInstrument));
        Assert.Equal((1d, "failed"), (left.Value, (string?)left.Tags.Single(t => t.Key == "reason").Value));
    }

    [Fact]
    public void OfTheTwoVisitsToAnEvent_ExactlyOneRunsIt_EvenWhenTheyComeAtOnce()
    {
        var claims = new OnCommitClaims(TimeProvider.System);
        var events = Enumerable.Range(0, 20_000).Select(i => new Happened(Guid.NewGuid(), i, DateTimeOffset.UtcNow)).ToList();
        var wins = new int[events.Count];

        Parallel.Invoke(
            () => Visit(claims, events, wins),
            () => Visit(claims, events, wins));

        Assert.All(wins, w => Assert.Equal(1, w));
        Assert.Equal(0, claims.Count);
    }

    [Fact]
    public void AClaimNobodyComesBackFor_IsForgottenAfterFiveMinutes_ByASweepAtMostOnceAMinute()
    {
        var clock = new ManualClock();
        var claims = new OnCommitClaims(clock);
        for (var i = 0; i < 5_000; i++)
        {
            Assert.True(claims.TryClaim("push", new Happened(Guid.NewGuid(), 1, clock.GetUtcNow())));
        }

        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.True(claims.TryClaim("push", new Happened(Guid.NewGuid(), 1, clock.GetUtcNow())));
        Assert.Equal(1, claims.Count);

        // Claims made since the sweep stay until the next one is due, however many there are.
        for (var i = 0; i < 5_000; i++)
        {
            claims.TryClaim("push", new Happened(Guid.NewGuid(), 1, clock.GetUtcNow()));
        }

        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(claims.TryClaim("push", new Happened(Guid.NewGuid(), 1, clock.GetUtcNow())));
        Assert.Equal(5_002, claims.Count);
    }

    /// <summary>
    /// Each event of this instance's commits is visited twice, once from memory and once by the
    /// dispatcher, and the second visit removes the first one's claim. The outbox may settle before
    /// the in-memory queue reaches its last events, so the claims reach zero shortly after, not at once.
    /// </summary>
    private static Task EveryClaimIsMetAsync(IServiceProvider services)
    {
        var claims = services.GetRequiredService<OnCommitClaims>();
        return TicketingApp.WaitUntilAsync(() => Task.FromResult(claims.Count == 0), TimeSpan.FromSeconds(30), "every claim is met by its second visit");
    }

    private sealed record Happened(Guid AggregateId, int Version, DateTimeOffset OccurredAt) : IDomainEvent;

    private static void Visit(OnCommitClaims claims, List<Happened> events, int[] wins)
    {
        for (var i = 0; i < events.Count; i++)
        {
            if (claims.TryClaim("TicketLivePush<TicketLocked>", events[i]))
            {
                Interlocked.Increment(ref wins[i]);
            }
        }
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    /// <summary>Holds the dispatcher inside one handler until the test opens it.</summary>
    private sealed class OutboxGate
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _holding;

        public bool IsHolding => Volatile.Read(ref _holding) > 0;

        public void Open() => _open.TrySetResult();

        public async Task HoldAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _holding);
            try
            {
                await _open.Task.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _holding);
            }
        }
    }

    private sealed class HoldsTheOutboxOnOrderCreated(OutboxGate gate) : CommittedEventHandler<OrderCreated>
    {
        protected override Task HandleAsync(OrderCreated domainEvent, CancellationToken cancellationToken) => gate.HoldAsync(cancellationToken);
    }

    private sealed class HoldsTheLaneOnTicketCreated(OutboxGate gate) : CommittedEventHandler<TicketCreated>, IRunsOnCommit
    {
        protected override Task HandleAsync(TicketCreated domainEvent, CancellationToken cancellationToken) => gate.HoldAsync(cancellationToken);
    }

    private sealed class HoldsTheOutboxOnTicketCreated(OutboxGate gate) : CommittedEventHandler<TicketCreated>
    {
        protected override Task HandleAsync(TicketCreated domainEvent, CancellationToken cancellationToken) => gate.HoldAsync(cancellationToken);
    }

    private sealed class FlakyCalls
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public int Next() => Interlocked.Increment(ref _count);
    }

    private sealed class FailsTheFirstTime(FlakyCalls calls) : CommittedEventHandler<TicketCreated>, IRunsOnCommit
    {
        protected override Task HandleAsync(TicketCreated domainEvent, CancellationToken cancellationToken) =>
            calls.Next() == 1 ? throw new InvalidOperationException("The first run fails.") : Task.CompletedTask;
    }
}
