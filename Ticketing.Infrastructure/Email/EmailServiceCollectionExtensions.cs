using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ticketing.Infrastructure.Email;

public static class EmailServiceCollectionExtensions
{
    /// <summary>
    /// The e-mail queue, its delivery loop, the transport (SMTP when <c>Email:Smtp:Host</c> is set,
    /// otherwise the pickup folder) and the handlers that write the order e-mails.
    /// </summary>
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmailOptions>()
            .Bind(configuration.GetSection(EmailOptions.Section))
            .Validate(o => !o.UseSmtp || o.Smtp.Port is > 0 and <= 65535, "Email:Smtp:Port must be a TCP port (1-65535).")
            .Validate(o => MimeKit.MailboxAddress.TryParse(o.Smtp.From, out _), "Email:Smtp:From must be an e-mail address, e.g. Ticketing <no-reply@example.com>.")
            .ValidateOnStart();

        services.AddSingleton<EmailSignal>();
        services.AddScoped<EmailQueue>();
        services.AddSingleton<SmtpEmailTransport>();
        services.AddSingleton<PickupFolderEmailTransport>();

        // Chosen when first resolved, so that configuration added after this call still decides.
        services.AddSingleton<IEmailTransport>(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.UseSmtp
            ? sp.GetRequiredService<SmtpEmailTransport>()
            : sp.GetRequiredService<PickupFolderEmailTransport>());
        services.AddSingleton<EmailDelivery>();
        services.AddHostedService(sp => sp.GetRequiredService<EmailDelivery>());

        services.AddScoped<IEventHandler, EmailOnOrderCreated>();
        services.AddScoped<IEventHandler, EmailOnOrderCompleted>();
        services.AddScoped<IEventHandler, EmailOnOrderCancelled>();
        services.AddScoped<IEventHandler, EmailOnOrderRefunded>();
        services.AddScoped<IEventHandler, EmailOnPaymentRefunded>();
        return services;
    }
}
