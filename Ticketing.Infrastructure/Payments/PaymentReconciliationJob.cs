using Quartz;

namespace Ticketing.Infrastructure.Payments;

/// <summary>
/// Settles what a payment request could not finish: a charge still in flight long after any request
/// could be waiting for it (the process was killed, the database failed, the provider never
/// answered), and a refund recorded as owed but not confirmed. The provider's record decides each.
/// A charge is settled at most <see cref="PaymentsOptions.ReconcileAfterSeconds"/> plus
/// <see cref="PaymentsOptions.ReconcileIntervalSeconds"/> after it started (docs/decisions/0013).
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class PaymentReconciliationJob(
    IDbContextFactory<TicketingDbContext> contexts,
    OrderPayments payments,
    IOptions<PaymentsOptions> options,
    TimeProvider clock,
    ILogger<PaymentReconciliationJob> logger) : IJob
{
    public const string Name = "payment-reconciliation";

    // Bounds one run; whatever is left waits for the next one.
    private const int BatchSize = 200;

    public async Task Execute(IJobExecutionContext context)
    {
        var cancellationToken = context.CancellationToken;
        var cutoff = clock.GetUtcNow() - options.Value.ReconcileAfter;
        List<Guid> abandoned, owed;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            abandoned = await db.Orders.AsNoTracking()
                .Where(o => o.Status == OrderStatus.AwaitingPayment && o.PaymentAttempt == PaymentAttemptState.Charging && o.PaymentAttemptStartedAt < cutoff)
                .OrderBy(o => o.PaymentAttemptStartedAt)
                .Take(BatchSize)
                .Select(o => o.Id)
                .ToListAsync(cancellationToken);

            // A refund is asked for right after it is recorded; one older than the cutoff was not answered.
            owed = await db.Payments.AsNoTracking()
                .Where(p => p.Status == PaymentStatus.Refunding && p.CreatedAt < cutoff)
                .OrderBy(p => p.CreatedAt)
                .Take(BatchSize)
                .Select(p => p.Id)
                .ToListAsync(cancellationToken);
        }

        foreach (var orderId in abandoned)
        {
            try
            {
                await payments.SettleAbandonedChargeAsync(orderId, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The provider or the database is still unavailable; the next run tries again.
                LogSettleFailed(ex, orderId);
            }
        }

        foreach (var paymentId in owed)
        {
            await payments.RefundOwedAsync(paymentId, cancellationToken);
        }

        if (abandoned.Count + owed.Count > 0)
        {
            LogRun(abandoned.Count, owed.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation looked at {Charges} abandoned charges and {Refunds} refunds owed")]
    private partial void LogRun(int charges, int refunds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} abandoned charge could not be settled yet")]
    private partial void LogSettleFailed(Exception ex, Guid orderId);
}
