using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Orders;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>
/// The app on Stripe (the stub, which sends it signed webhooks), paid as the order page pays: a
/// card becomes a ConfirmationToken at the stub, and the buyer's page confirms it.
/// </summary>
internal sealed class StripeMarket : IAsyncDisposable
{
    public const string WebhookSecret = "whsec_card_payment_tests_5f1e2d3c4b5a";

    private readonly HttpClient _stripe;

    private StripeMarket(StripeStub stub, TicketingApp app, bool stubSendsWebhooks)
    {
        Stub = stub;
        App = app;
        _stripe = app.CreateClient();
        if (stubSendsWebhooks)
        {
            stub.SendWebhooksTo(_stripe, WebhookSecret);
        }
    }

    public StripeStub Stub { get; }

    public TicketingApp App { get; }

    public IServiceProvider Services => App.Services;

    /// <param name="reads">Counts the reads of each order row, for races that must all read before any commits.</param>
    /// <param name="apiOnly">
    /// The app as API clients pay it: without the Payment Element's publishable key, and with no
    /// webhook sent by the stub on its own, so that the test delivers each one itself.
    /// </param>
    public static async Task<StripeMarket> StartAsync(int? reservationSeconds = null, OrderReadCounter? reads = null, bool apiOnly = false)
    {
        var stub = await StripeStub.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Stripe:SecretKey"] = StripeStub.SecretKey,
            ["Stripe:ApiBase"] = stub.BaseUrl,
            ["Stripe:WebhookSecret"] = WebhookSecret,
            ["RateLimiting:AuthPermitLimit"] = "100000",
        };
        if (!apiOnly)
        {
            settings["Stripe:PublishableKey"] = StripeStub.PublishableKey;
        }

        if (reservationSeconds is { } seconds)
        {
            settings["Ordering:ReservationSeconds"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var app = new TicketingApp(settings: settings, services: reads is null ? null : s => s.ConfigureDbContext<SqliteTicketingDbContext>(o => o.AddInterceptors(reads)));
        return new StripeMarket(stub, app, stubSendsWebhooks: !apiOnly);
    }

    public static string ReturnUrl(Guid orderId) => $"http://localhost/orders/{orderId}";

    public async Task<(Guid Buyer, TicketView Ticket, Guid OrderId)> ReservedAsync(decimal price = 20m, string title = "Concert")
    {
        var buyer = Guid.NewGuid();
        var ticket = await Services.ListTicketAsync(Guid.NewGuid(), price, title);
        return (buyer, ticket, (await Services.ReserveAsync(buyer, ticket.Id)).Id);
    }

    public async Task<PaymentResult> PayWithCardAsync(Guid buyer, Guid orderId, string cardNumber) =>
        await PayAsync(buyer, orderId, await Stub.CreateConfirmationTokenAsync(cardNumber));

    /// <summary>As the order page pays: with its own address for the bank to send the buyer back to.</summary>
    public async Task<PaymentResult> PayAsync(Guid buyer, Guid orderId, string token)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OrderPayments>().PayAsync(new Actor(buyer), orderId, token, ReturnUrl(orderId));
    }

    /// <summary>What the order page does when the buyer comes back, or hears nothing after the bank's window.</summary>
    public async Task<string?> ContinueAsync(Guid buyer, Guid orderId)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OrderPayments>().ContinueConfirmationAsync(new Actor(buyer), orderId);
    }

    public async Task<(OrderStatus Status, PaymentAttemptState Attempt)> OrderStateAsync(Guid orderId)
    {
        var order = await Services.ReadOrderAsync(orderId);
        return (order.Status, order.PaymentAttempt);
    }

    public Task WaitForOrderAsync(Guid orderId, OrderStatus status, TimeSpan? timeout = null) =>
        TicketingApp.WaitUntilAsync(
            async () => (await Services.ReadOrderAsync(orderId)).Status == status, timeout ?? TimeSpan.FromSeconds(15), $"order {orderId} is {status}");

    public Task WaitForIntentAsync(string paymentIntentId, string status, TimeSpan? timeout = null) =>
        TicketingApp.WaitUntilAsync(
            () => Task.FromResult(Stub.Intent(paymentIntentId).Status == status), timeout ?? TimeSpan.FromSeconds(15), $"intent {paymentIntentId} is {status} at Stripe");

    /// <summary>Stripe's charges and refunds are the app's, one for one; charges minus refunds are the completed orders.</summary>
    public async Task AssertBooksMatchAsync()
    {
        await using var db = Services.OpenDb();
        var payments = await db.Payments.AsNoTracking().ToListAsync();
        Assert.Equal(Stub.Charges.Select(c => c.Id).Order(), payments.Select(p => p.ProviderReference).Order());
        Assert.Equal(Stub.Refunds.Select(r => r.Id).Order(), payments.Where(p => p.RefundReference is not null).Select(p => p.RefundReference!).Order());
        Assert.Equal(Stub.Charges.Count - Stub.Refunds.Count, await db.Orders.CountAsync(o => o.Status == OrderStatus.Complete));
    }

    public async ValueTask DisposeAsync()
    {
        // The stub first: its webhook pump stops before the app it posts to goes away.
        await Stub.DisposeAsync();
        _stripe.Dispose();
        await App.DisposeAsync();
    }
}
