using Quartz;
using Ticketing.Domain.Expiration;

namespace Ticketing.Infrastructure.Expiration;

/// <summary>
/// Fires at an order's <c>expiresAt</c> and queues its expiry; <see cref="ExpirationCoalescer"/>
/// raises <see cref="ExpirationComplete"/> through the outbox together with every other expiry due.
/// </summary>
public sealed partial class OrderExpirationJob(ExpirationCoalescer expirations, ILogger<OrderExpirationJob> logger) : IJob
{
    public const string OrderIdKey = "orderId";
    public const string VersionKey = "version";

    public Task Execute(IJobExecutionContext context)
    {
        var orderId = Guid.Parse(context.MergedJobDataMap.GetString(OrderIdKey)!);
        var version = context.MergedJobDataMap.GetInt(VersionKey);

        // Not awaited: the scheduler runs four jobs at a time, so waiting for the commit here would
        // cap a set at four orders when thousands fire together after a restart. An order whose
        // commit fails stays live in the database, where the overdue sweep finds it.
        expirations.Enqueue(new DueExpiry(orderId, version));
        LogWindowClosed(orderId);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} reservation window closed; expiry queued")]
    private partial void LogWindowClosed(Guid orderId);
}
