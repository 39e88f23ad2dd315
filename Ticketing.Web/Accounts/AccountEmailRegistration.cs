using Ticketing.Infrastructure.Events;

namespace Ticketing.Web.Accounts;

internal static class AccountEmailRegistration
{
    /// <summary>Reset and confirmation links: Identity's token providers with their lifetimes, the links, and the handlers that send them.</summary>
    public static IServiceCollection AddAccountEmails(this IServiceCollection services)
    {
        services.AddOptions<AccountOptions>()
            .BindConfiguration(AccountOptions.Section)
            .Validate(o => o.PasswordResetMinutes > 0 && o.EmailConfirmationHours > 0 && o.EmailIntervalSeconds >= 0,
                "Accounts:PasswordResetMinutes and EmailConfirmationHours must be positive, EmailIntervalSeconds not negative.")
            .ValidateOnStart();
        services.AddSingleton<AccountLinks>();
        services.AddScoped<PasswordResets>();
        services.AddScoped<IEmailSender<AppUser>, AccountEmailSender>();
        services.AddScoped<IEventHandler, WelcomeOnUserCreated>();
        services.AddScoped<IEventHandler, SendConfirmationOnRequest>();
        services.AddScoped<IEventHandler, SendPasswordResetOnRequest>();

        // Password reset uses Identity's default provider; confirmation gets its own, with a longer life.
        services.AddOptions<DataProtectionTokenProviderOptions>()
            .Configure<IOptions<AccountOptions>>((o, accounts) => o.TokenLifespan = accounts.Value.PasswordResetLifetime);
        services.AddOptions<EmailConfirmationTokenProviderOptions>()
            .Configure<IOptions<AccountOptions>>((o, accounts) => o.TokenLifespan = accounts.Value.EmailConfirmationLifetime);
        services.AddTransient<EmailConfirmationTokenProvider>();
        services.Configure<IdentityOptions>(o =>
        {
            o.Tokens.ProviderMap[EmailConfirmationTokenProvider.ProviderName] = new TokenProviderDescriptor(typeof(EmailConfirmationTokenProvider));
            o.Tokens.EmailConfirmationTokenProvider = EmailConfirmationTokenProvider.ProviderName;
        });
        return services;
    }
}
