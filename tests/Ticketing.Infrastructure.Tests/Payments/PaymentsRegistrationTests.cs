using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticketing.Domain.Payments;
using Ticketing.Infrastructure.Payments;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Payments;

public sealed class PaymentsRegistrationTests : IAsyncLifetime
{
    private StripeStub _stub = null!;

    public async Task InitializeAsync() => _stub = await StripeStub.StartAsync();

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    [Fact]
    public void AddPayments_WithoutSecretKey_UsesTestGatewayAsSingleton()
    {
        using var provider = Build(new Dictionary<string, string?>());

        var gateway = provider.GetRequiredService<IPaymentGateway>();

        Assert.IsType<TestPaymentGateway>(gateway);
        Assert.Same(gateway, provider.GetRequiredService<IPaymentGateway>());
    }

    [Fact]
    public void AddPayments_BindsStripeSectionAndPaymentsCurrency()
    {
        using var provider = Build(new Dictionary<string, string?>
        {
            ["Stripe:SecretKey"] = "sk_test_1",
            ["Stripe:PublishableKey"] = "pk_test_1",
            ["Stripe:WebhookSecret"] = "whsec_1",
            ["Stripe:ApiBase"] = "http://127.0.0.1:1",
            ["Payments:Currency"] = "eur",
        });

        var options = provider.GetRequiredService<IOptions<PaymentsOptions>>().Value;

        Assert.Equal(("sk_test_1", "pk_test_1", "whsec_1", "http://127.0.0.1:1", "eur"),
            (options.SecretKey, options.PublishableKey, options.WebhookSecret, options.ApiBase, options.Currency));
        Assert.True(options.UseStripe);
    }

    [Fact]
    public void AddPayments_WithoutConfiguration_DefaultsToUsdAndNoStripe()
    {
        using var provider = Build(new Dictionary<string, string?>());

        var options = provider.GetRequiredService<IOptions<PaymentsOptions>>().Value;

        Assert.Equal("usd", options.Currency);
        Assert.False(options.UseStripe);
        Assert.Null(options.ApiBase);
    }

    [Fact]
    public void AddPayments_WithMalformedCurrency_FailsValidation()
    {
        using var provider = Build(new Dictionary<string, string?> { ["Payments:Currency"] = "dollars" });

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PaymentsOptions>>().Value);
    }

    [Fact]
    public void AddPayments_RegistersWebhookReader()
    {
        using var provider = Build(new Dictionary<string, string?>());

        Assert.NotNull(provider.GetRequiredService<StripeWebhookReader>());
    }

    [Fact]
    public async Task AddPayments_WithSecretKey_ChargesThroughStripeClientAtApiBase()
    {
        using var provider = Build(new Dictionary<string, string?>
        {
            ["Stripe:SecretKey"] = StripeStub.SecretKey,
            ["Stripe:ApiBase"] = _stub.BaseUrl,
        });

        var gateway = provider.GetRequiredService<IPaymentGateway>();
        var result = await gateway.ChargeAsync(
            new ChargeRequest(Guid.NewGuid(), 1_000, "usd", "pm_card_visa", "registration-key"), CancellationToken.None);

        Assert.IsType<StripePaymentGateway>(gateway);
        Assert.Equal("stripe", gateway.Name);
        Assert.Equal(ChargeOutcome.Succeeded, result.Outcome);
        Assert.All(_stub.Requests, r => Assert.Equal($"Bearer {StripeStub.SecretKey}", r.Authorization));
        Assert.Equal("registration-key", _stub.Requests[^1].IdempotencyKey);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPayments(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }
}
