using Microsoft.Extensions.Logging;
using Quartz;
using Ticketing.Domain.Expiration;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Infrastructure.Expiration;

/// <summary>Fires at an order's <c>expiresAt</c> and raises <see cref="ExpirationComplete"/> through the outbox.</summary>
public sealed partial class OrderExpirationJob(TicketingDbContext db, TimeProvider clock, ILogger<OrderExpirationJob> logger) : IJob
{
    public const string OrderIdKey = "orderId";
    public const string VersionKey = "version";

    public async Task Execute(IJobExecutionContext context)
    {
        var orderId = Guid.Parse(context.MergedJobDataMap.GetString(OrderIdKey)!);
        var version = context.MergedJobDataMap.GetInt(VersionKey);
        db.Publish(new ExpirationComplete(orderId, version, clock.GetUtcNow()));
        await db.SaveChangesAsync(context.CancellationToken);
        LogWindowClosed(orderId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} reservation window closed; expiration raised")]
    private partial void LogWindowClosed(Guid orderId);
}
