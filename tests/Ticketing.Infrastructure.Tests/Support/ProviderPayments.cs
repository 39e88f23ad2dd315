using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Payments;
using Ticketing.Infrastructure.Payments;

namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>Money the provider takes on its own, and what the webhook does with it.</summary>
internal static class ProviderPayments
{
    /// <summary>The provider takes the money for the order (as a 3-D Secure confirmation that finished late would).</summary>
    public static async Task<string> ChargeAtTheProviderAsync(this IServiceProvider services, Guid orderId, long amountMinor, string currency = "usd")
    {
        var charge = await services.GetRequiredService<IPaymentGateway>().ChargeAsync(
            new ChargeRequest(orderId, amountMinor, currency, "tok_visa", $"provider-{orderId}"), CancellationToken.None);
        Assert.Equal(ChargeOutcome.Succeeded, charge.Outcome);
        return charge.Reference!;
    }

    /// <summary>What the webhook does with a confirmed payment.</summary>
    public static async Task<PaymentResult> ApplyPaymentAsync(this IServiceProvider services, Guid orderId, string reference, long amountMinor, string currency = "usd")
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OrderPayments>().ApplyAsync(orderId, reference, amountMinor, currency);
    }

    public static async Task<List<Payment>> PaymentsOfAsync(this IServiceProvider services, Guid orderId)
    {
        await using var db = services.OpenDb();
        return await db.Payments.AsNoTracking().Where(p => p.OrderId == orderId).ToListAsync();
    }
}
