using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Web.Health;

internal sealed class DatabaseHealthCheck(IDbContextFactory<TicketingDbContext> contexts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy("reachable")
                : HealthCheckResult.Unhealthy("unreachable");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("unreachable", ex);
        }
    }
}

internal sealed class SchedulerHealthCheck(ISchedulerFactory schedulers) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        return scheduler is { IsStarted: true, IsShutdown: false, InStandbyMode: false }
            ? HealthCheckResult.Healthy("running")
            : HealthCheckResult.Unhealthy("not running");
    }
}

/// <summary>
/// Unhealthy when the oldest event no handler has failed on yet has waited longer than the bound:
/// the dispatchers are stopped or far behind. A message whose handler keeps failing is that
/// handler's problem, not this instance's, and taking every instance out of service for it would
/// stop the whole site: it only makes the check Degraded (still 200), and after
/// <c>Outbox:MaxAttempts</c> it is dead-lettered for an admin to see on the dashboard.
/// </summary>
internal sealed class OutboxLagHealthCheck(IDbContextFactory<TicketingDbContext> contexts, TimeProvider clock, IConfiguration configuration) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var bound = TimeSpan.FromSeconds(configuration.GetValue("Outbox:MaxLagSeconds", 30));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var oldest = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.ProcessedAt == null && m.DeadLetteredAt == null && m.Attempts == 0)
            .OrderBy(m => m.Id)
            .Select(m => (DateTimeOffset?)m.OccurredAt)
            .FirstOrDefaultAsync(cancellationToken);
        var lag = oldest is { } at ? clock.GetUtcNow() - at : TimeSpan.Zero;
        if (lag > bound)
        {
            return HealthCheckResult.Unhealthy($"lag {lag.TotalSeconds:0.0} s exceeds {bound.TotalSeconds:0} s");
        }

        var failing = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.ProcessedAt == null && m.DeadLetteredAt == null && m.Attempts > 0)
            .CountAsync(cancellationToken);
        var dead = await db.OutboxMessages.AsNoTracking().Where(m => m.ProcessedAt == null && m.DeadLetteredAt != null).CountAsync(cancellationToken);
        return failing + dead == 0
            ? HealthCheckResult.Healthy($"lag {lag.TotalSeconds:0.0} s")
            : HealthCheckResult.Degraded($"lag {lag.TotalSeconds:0.0} s; {failing} being retried, {dead} dead-lettered");
    }
}
