using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Stripe;

namespace Ticketing.Infrastructure.Payments;

public static class PaymentsServiceCollectionExtensions
{
    public const string StripeHttpClientName = "Stripe";

    /// <summary>
    /// Registers the payment gateway (Stripe when <c>Stripe:SecretKey</c> is set, otherwise the built-in
    /// <see cref="TestPaymentGateway"/>), the <see cref="StripeWebhookReader"/>, and the reconciliation
    /// job.
    /// </summary>
    public static IServiceCollection AddPayments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PaymentsOptions>()
            .Bind(configuration.GetSection("Payments"))
            .Bind(configuration.GetSection("Stripe"))
            .Validate(o => o.Currency is { Length: 3 } && o.Currency.All(char.IsAsciiLetter), "Payments:Currency must be a three-letter ISO 4217 code.")
            .ValidateOnStart();

        // The gateway and its client are singletons (the test gateway keeps its idempotency records in
        // memory), so the factory's handler must not be rotated under them: pooled connections are
        // recycled instead, which keeps DNS changes visible.
        services.AddHttpClient(StripeHttpClientName, client => client.Timeout = SystemNetHttpClient.DefaultHttpTimeout)
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        services.AddSingleton<IStripeClient>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PaymentsOptions>>().Value;
            var httpClient = sp.GetRequiredService<IHttpClientFactory>().CreateClient(StripeHttpClientName);
            return new StripeClient(
                apiKey: options.SecretKey,
                httpClient: new SystemNetHttpClient(httpClient),
                apiBase: string.IsNullOrWhiteSpace(options.ApiBase) ? null : options.ApiBase);
        });
        services.AddSingleton<StripePaymentGateway>();
        services.AddSingleton<TestPaymentGateway>();

        // Chosen when first resolved rather than here, so that configuration added after this call
        // (test hosts, environment overrides) still decides which gateway runs.
        services.AddSingleton<IPaymentGateway>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PaymentsOptions>>().Value;
            IPaymentGateway gateway = options.UseStripe
                ? sp.GetRequiredService<StripePaymentGateway>()
                : sp.GetRequiredService<TestPaymentGateway>();
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PaymentsServiceCollectionExtensions));
            logger.LogInformation("Payments go through the {Gateway} gateway", gateway.Name);
            if (options.UseStripe && !options.UsePaymentElement)
            {
                logger.LogWarning("Stripe:PublishableKey is not set: the order page cannot show Stripe's card form, so buyers cannot pay by card");
            }

            return gateway;
        });

        services.AddSingleton<StripeWebhookReader>();

        var interval = TimeSpan.FromSeconds(configuration.GetValue("Payments:ReconcileIntervalSeconds", new PaymentsOptions().ReconcileIntervalSeconds));
        services.Configure<QuartzOptions>(quartz =>
        {
            quartz.AddJob<PaymentReconciliationJob>(j => j.WithIdentity(PaymentReconciliationJob.Name).StoreDurably());
            quartz.AddTrigger(t => t.ForJob(PaymentReconciliationJob.Name)
                .StartAt(DateTimeOffset.UtcNow + interval)
                .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever()));
        });
        return services;
    }
}
