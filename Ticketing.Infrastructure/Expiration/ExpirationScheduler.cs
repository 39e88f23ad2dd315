using Quartz;

namespace Ticketing.Infrastructure.Expiration;

/// <summary>Schedules one Quartz trigger per order, firing at the order's <c>expiresAt</c>.</summary>
public sealed class ExpirationScheduler(ISchedulerFactory schedulers)
{
    public const string Group = "order-expiration";

    public async Task ScheduleAsync(Guid orderId, int orderVersion, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var job = JobBuilder.Create<OrderExpirationJob>()
            .WithIdentity(orderId.ToString(), Group)
            .UsingJobData(OrderExpirationJob.OrderIdKey, orderId.ToString())
            .UsingJobData(OrderExpirationJob.VersionKey, orderVersion)
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(orderId.ToString(), Group)
            .StartAt(expiresAt)

            // A trigger that is already late (after a restart) fires at once instead of being dropped.
            .WithSimpleSchedule(s => s.WithMisfireHandlingInstructionFireNow())
            .Build();

        // Replace: a redelivered OrderCreated or the start-up recovery may schedule the same order again.
        await scheduler.ScheduleJob(job, [trigger], replace: true, cancellationToken);
    }

    public async Task UnscheduleAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.DeleteJob(new JobKey(orderId.ToString(), Group), cancellationToken);
    }
}
