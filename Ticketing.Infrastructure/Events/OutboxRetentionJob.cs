using Quartz;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Infrastructure.Events;

/// <summary>
/// Deletes outbox messages processed more than <see cref="OutboxOptions.RetentionDays"/> ago, with
/// their delivery rows; they only matter while a redelivery is possible, and a busy market writes
/// several per order. Unprocessed and dead-lettered messages stay. Also drops sign-in failure counts
/// nobody has added to for a day. Every instance runs it; deleting what another already deleted is
/// harmless.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class OutboxRetentionJob(
    IDbContextFactory<TicketingDbContext> contexts,
    SignInLockouts signInLockouts,
    TimeProvider clock,
    IOptions<OutboxOptions> options,
    ILogger<OutboxRetentionJob> logger) : IJob
{
    public static readonly JobKey Key = new("outbox-retention");

    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Rows per delete: short transactions that never hold the SQLite write lock for long.</summary>
    private const int ChunkSize = 1_000;

    private static readonly TimeSpan StaleSignInFailures = TimeSpan.FromDays(1);

    public async Task Execute(IJobExecutionContext context) => await PruneAsync(context.CancellationToken);

    /// <summary>Returns how many messages were deleted.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken = default)
    {
        var before = clock.GetUtcNow() - TimeSpan.FromDays(Math.Max(1, options.Value.RetentionDays));
        var deleted = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var ids = await db.OutboxMessages.AsNoTracking()
                .Where(m => m.ProcessedAt != null && m.ProcessedAt < before)
                .OrderBy(m => m.Id)
                .Select(m => m.Id)
                .Take(ChunkSize)
                .ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                break;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.OutboxDeliveries.Where(d => ids.Contains(d.MessageId)).ExecuteDeleteAsync(cancellationToken);
            deleted += await db.OutboxMessages.Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await signInLockouts.PruneAsync(StaleSignInFailures, cancellationToken);
        if (deleted > 0)
        {
            LogPruned(deleted, options.Value.RetentionDays);
        }

        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} outbox messages processed more than {Days} days ago")]
    private partial void LogPruned(int count, int days);
}

/// <summary>The retention job's registration, one line in the scheduler's set-up.</summary>
public static class OutboxRetentionRegistration
{
    public static void AddOutboxRetention(this IServiceCollectionQuartzConfigurator quartz)
    {
        quartz.AddJob<OutboxRetentionJob>(j => j.WithIdentity(OutboxRetentionJob.Key).StoreDurably());
        quartz.AddTrigger(t => t.ForJob(OutboxRetentionJob.Key)
            .StartAt(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1))
            .WithSimpleSchedule(s => s.WithInterval(OutboxRetentionJob.Interval).RepeatForever()));
    }
}
