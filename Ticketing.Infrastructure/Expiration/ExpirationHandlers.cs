using Microsoft.Extensions.Hosting;
using Quartz;

namespace Ticketing.Infrastructure.Expiration;

/// <summary>The Expiration context's answer to a new order: a trigger at its expiry.</summary>
internal sealed partial class ScheduleExpirationOnOrderCreated(ExpirationScheduler scheduler, ILogger<ScheduleExpirationOnOrderCreated> logger)
    : CommittedEventHandler<OrderCreated>
{
    protected override async Task HandleAsync(OrderCreated e, CancellationToken cancellationToken)
    {
        await scheduler.ScheduleAsync(e.AggregateId, e.Version, e.ExpiresAt, cancellationToken);
        LogScheduled(e.AggregateId, e.ExpiresAt);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} expiry scheduled at {ExpiresAt:O}")]
    private partial void LogScheduled(Guid orderId, DateTimeOffset expiresAt);
}

/// <summary>A finished order needs no expiry: drop its trigger (the job would be a no-op anyway).</summary>
internal sealed class UnscheduleExpirationOnOrderCompleted(ExpirationScheduler scheduler) : CommittedEventHandler<OrderCompleted>
{
    protected override Task HandleAsync(OrderCompleted e, CancellationToken cancellationToken) =>
        scheduler.UnscheduleAsync(e.AggregateId, cancellationToken);
}

internal sealed class UnscheduleExpirationOnOrderCancelled(ExpirationScheduler scheduler) : CommittedEventHandler<OrderCancelled>
{
    protected override Task HandleAsync(OrderCancelled e, CancellationToken cancellationToken) =>
        scheduler.UnscheduleAsync(e.AggregateId, cancellationToken);
}

/// <summary>
/// The scheduler keeps its triggers in memory; the orders table is the durable record of what must
/// expire. Once the host has started, every live order gets its trigger back, so a restart loses no
/// expiry, and an order already past its window is queued for expiry at once, without a trigger of
/// its own: after a long stop there may be thousands, and the expiry takes them in sets
/// (docs/decisions/0004, 0008).
/// </summary>
/// <remarks>
/// After start, not during it: reading every live order and scheduling thousands of triggers would
/// hold up the host's start (and the health check that waits for it) for work the sweep would redo
/// anyway if the process died meanwhile.
/// </remarks>
internal sealed partial class ExpirationRecovery(
    IDbContextFactory<TicketingDbContext> contexts,
    ExpirationScheduler scheduler,
    ExpirationCoalescer expirations,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<ExpirationRecovery> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        try
        {
            await RecoverAsync(stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // The overdue sweep still expires what is due; only the precise triggers of open windows are missing.
            LogRecoveryFailed(ex);
        }
    }

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var live = await db.Orders.AsNoTracking()
            .Where(o => o.Status == OrderStatus.Created || o.Status == OrderStatus.AwaitingPayment)
            .OrderBy(o => o.ExpiresAt)
            .Select(o => new { o.Id, o.Version, o.ExpiresAt })
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var due = 0;
        foreach (var order in live)
        {
            if (order.ExpiresAt <= now)
            {
                expirations.Enqueue(new DueExpiry(order.Id, order.Version));
                due++;
            }
            else
            {
                await scheduler.ScheduleAsync(order.Id, order.Version, order.ExpiresAt, cancellationToken);
            }
        }

        LogRecovered(live.Count, due);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-scheduled expiry of {Count} live orders ({Due} already due, queued at once)")]
    private partial void LogRecovered(int count, int due);

    [LoggerMessage(Level = LogLevel.Error, Message = "Expiry recovery failed; overdue orders are left to the sweep")]
    private partial void LogRecoveryFailed(Exception ex);
}

/// <summary>
/// A safety net for several instances: an order whose scheduling instance died is expired by
/// whichever instance sweeps first. Late by at most the sweep interval plus the grace period.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class OverdueOrderSweepJob(TicketingDbContext db, ExpirationCoalescer expirations, TimeProvider clock) : IJob
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>How long after its window an order is left to its own trigger before the sweep may take it.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    public async Task Execute(IJobExecutionContext context)
    {
        var cutoff = clock.GetUtcNow() - Grace;
        var overdue = await db.Orders.AsNoTracking()
            .Where(o => (o.Status == OrderStatus.Created || o.Status == OrderStatus.AwaitingPayment) && o.ExpiresAt < cutoff)
            .OrderBy(o => o.ExpiresAt)
            .Take(1000)
            .Select(o => new DueExpiry(o.Id, o.Version))
            .ToListAsync(context.CancellationToken);
        if (overdue.Count > 0)
        {
            await expirations.ExpireAsync(overdue, context.CancellationToken);
        }
    }
}
