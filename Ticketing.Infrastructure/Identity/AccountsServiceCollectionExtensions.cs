using Microsoft.Extensions.DependencyInjection;

namespace Ticketing.Infrastructure.Identity;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>
    /// What people do with their own accounts: sign up and in (on the Identity the web project
    /// configures), ask for account e-mails, download their data, delete the account.
    /// </summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddScoped<Accounts>();
        services.AddSingleton<UnknownAccountSignIn.DecoyHash>();
        services.AddScoped<UnknownAccountSignIn>();
        services.AddSingleton<SignInLockouts>();
        services.AddSingleton<ClosedAccounts>();
        services.AddScoped<AccountDeletion>();
        services.AddScoped<PersonalData>();
        services.AddScoped<AccountRequests>();
        return services;
    }
}
