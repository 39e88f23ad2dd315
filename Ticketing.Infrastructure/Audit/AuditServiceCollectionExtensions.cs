using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ticketing.Infrastructure.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// One reaction per recorded event type. Registered after the contexts' own reactions, so that the
    /// rows a step describes (the ticket, the payment) are already tracked when it is recorded.
    /// </summary>
    public static IServiceCollection AddAuditTrail(this IServiceCollection services)
    {
        services.TryAddSingleton<IRequestOrigins, NoRequestOrigins>();
        services.AddSingleton<AuditTrail>();
        foreach (var eventType in AuditTrail.RecordedEvents)
        {
            services.AddSingleton(typeof(IDomainEventReaction), typeof(RecordAuditStep<>).MakeGenericType(eventType));
        }

        return services;
    }
}
