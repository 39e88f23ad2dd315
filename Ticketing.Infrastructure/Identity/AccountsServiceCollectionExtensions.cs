using Microsoft.Extensions.DependencyInjection;

namespace Ticketing.Infrastructure.Identity;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>What people do with their own accounts: ask for account e-mails, download their data, delete the account.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddSingleton<ClosedAccounts>();
        services.AddScoped<AccountDeletion>();
        services.AddScoped<PersonalData>();
        services.AddScoped<AccountRequests>();
        return services;
    }
}
