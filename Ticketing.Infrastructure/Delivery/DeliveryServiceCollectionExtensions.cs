using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ticketing.Infrastructure.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>Ticket files (in the database, or the folder <c>Storage:*</c> names), e-tickets (and their e-mail) and the door.</summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<DeliveryOptions>()
            .Bind(configuration.GetSection(DeliveryOptions.Section))
            .Validate(o => o.SellerSendsWithinHours > 0, "Delivery:SellerSendsWithinHours must be positive.")
            .ValidateOnStart();
        var storage = StorageSettings.From(configuration, contentRoot);
        services.AddSingleton(storage);
        if (storage.Provider == TicketFileStorage.Folder)
        {
            services.AddSingleton<ITicketFileStore, FolderTicketFileStore>();
        }
        else
        {
            services.AddSingleton<ITicketFileStore, DatabaseTicketFileStore>();
        }

        services.AddSingleton<ETicketKeys>();
        services.AddSingleton<IDomainEventReaction, IssueETicketOnOrderCompleted>();
        services.AddScoped<IEventHandler, EmailETicketOnOrderCompleted>();
        services.AddScoped<IEventHandler, RetireTicketFileOnRelistingRefund>();
        return services;
    }
}
