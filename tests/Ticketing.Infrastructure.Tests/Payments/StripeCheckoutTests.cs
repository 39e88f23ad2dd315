using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Stripe;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Payments;

namespace Ticketing.Infrastructure.Tests.Payments;

/// <summary>
/// The whole app on Stripe: real Stripe.net requests to the local stub, webhooks signed as Stripe
/// signs them. The stub's books (PaymentIntents that took money, refunds) are compared with the
/// application's.
/// </summary>
public sealed class StripeCheckoutTests() : StripeMarketTests(apiOnly: true)
{
    [Fact]
    public async Task FiveParallelPayments_WithFivePaymentMethods_OpenOneIntentAndChargeItOnce()
    {
        var (buyer, ticket, orderId) = await ReservedAsync();
        string[] methods = ["pm_card_visa", "tok_visa", "pm_card_mastercard", "tok_mastercard", "pm_card_amex"];

        var responses = await Task.WhenAll(methods.Select(token => buyer.PostAsJsonAsync("/api/payments", new { orderId, token })));

        Assert.Equal([HttpStatusCode.Created], responses.Select(r => r.StatusCode).Where(s => s != HttpStatusCode.BadRequest));
        Assert.Equal(4, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
        var intent = Assert.Single(Stub.IntentsFor(orderId));
        Assert.Equal(("succeeded", 1), (intent.Status, Stub.ConfirmRequests));
        await using var db = App.Services.OpenDb();
        var payment = await db.Payments.AsNoTracking().SingleAsync(p => p.OrderId == orderId);
        Assert.Equal((intent.Id, PaymentStatus.Succeeded), (payment.ProviderReference, payment.Status));
        Assert.Equal(TicketStatus.Sold, (await App.Services.ReadTicketAsync(ticket.Id)).Status);
    }

    [Fact]
    public async Task DeclinedThenPaid_ConfirmsTheOrdersOneIntentTwice()
    {
        var (buyer, _, orderId) = await ReservedAsync();

        var declined = await buyer.PostAsJsonAsync("/api/payments", new { orderId, token = "pm_card_chargeDeclined" });
        var paid = await buyer.PostAsJsonAsync("/api/payments", new { orderId, token = "pm_card_visa" });

        Assert.Equal((HttpStatusCode.PaymentRequired, HttpStatusCode.Created), (declined.StatusCode, paid.StatusCode));
        Assert.Equal("succeeded", Assert.Single(Stub.IntentsFor(orderId)).Status);
        Assert.Equal(2, Stub.ConfirmRequests);
        Assert.Equal(OrderStatus.Complete, (await App.Services.ReadOrderAsync(orderId)).Status);
    }

    [Fact]
    public async Task PaymentIntentSucceeded_ForAnotherAmount_IsLoggedRefundedAndNeverApplied()
    {
        var (_, ticket, orderId) = await ReservedAsync(price: 40m);
        var intent = await ChargeOutsideTheAppAsync(orderId, amountMinor: 100);
        using var stripe = App.CreateClient();

        var first = await stripe.DeliverAsync(StripeEvents.PaymentIntentSucceeded(StripeEvents.NewEventId(), intent.Id, orderId, intent.Amount), StripeMarket.WebhookSecret);
        var redelivered = await stripe.DeliverAsync(StripeEvents.PaymentIntentSucceeded(StripeEvents.NewEventId(), intent.Id, orderId, intent.Amount), StripeMarket.WebhookSecret);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, redelivered.StatusCode));
        var refund = Assert.Single(Stub.Refunds);
        Assert.Equal((intent.Id, 100L), (refund.PaymentIntentId, refund.Amount));
        var payment = Assert.Single(await App.Services.PaymentsOfAsync(orderId));
        Assert.Equal((PaymentStatus.Refunded, (RefundReason?)RefundReason.AmountMismatch, refund.Id), (payment.Status, payment.RefundReason, payment.RefundReference));
        Assert.Equal((OrderStatus.Created, 0), ((await App.Services.ReadOrderAsync(orderId)).Status, (await App.Services.ReadOrderAsync(orderId)).Version));
        Assert.Equal(TicketStatus.Reserved, (await App.Services.ReadTicketAsync(ticket.Id)).Status);
    }

    [Fact]
    public async Task ChargeRefunded_FromTheDashboard_UndoesTheSale_AndTheBooksStillMatch()
    {
        var (buyer, ticket, orderId) = await ReservedAsync();
        await PayAsync(buyer, orderId);
        var intent = Assert.Single(Stub.IntentsFor(orderId));
        var refund = Stub.RefundFromDashboard(intent.Id);
        using var stripe = App.CreateClient();
        var payload = StripeEvents.ChargeRefunded(StripeEvents.NewEventId(), intent.Id, refund.Id, intent.Amount, refund.Amount);

        var first = await stripe.DeliverAsync(payload, StripeMarket.WebhookSecret);
        var redelivered = await stripe.DeliverAsync(payload, StripeMarket.WebhookSecret);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, redelivered.StatusCode));
        var payment = Assert.Single(await App.Services.PaymentsOfAsync(orderId));
        Assert.Equal((PaymentStatus.Refunded, (RefundReason?)RefundReason.Provider, refund.Id), (payment.Status, payment.RefundReason, payment.RefundReference));
        var order = await App.Services.ReadOrderAsync(orderId);
        Assert.Equal((OrderStatus.Refunded, (CancellationReason?)null, 3), (order.Status, order.CancellationReason, order.Version));
        var released = await App.Services.ReadTicketAsync(ticket.Id);
        Assert.Equal((TicketStatus.Available, (Guid?)null), (released.Status, released.OrderId));
        Assert.Equal("refunded", Assert.Single((await LedgerAsync()).Items).State);
        await Market.AssertBooksMatchAsync();
    }

    [Fact]
    public async Task ChargeRefunded_OfPartOfThePayment_IsRecordedAndTheSaleStands()
    {
        var (buyer, ticket, orderId) = await ReservedAsync(price: 40m);
        await PayAsync(buyer, orderId);
        var intent = Assert.Single(Stub.IntentsFor(orderId));
        var refund = Stub.RefundFromDashboard(intent.Id, amount: 1_000);
        using var stripe = App.CreateClient();

        await stripe.DeliverAsync(StripeEvents.ChargeRefunded(StripeEvents.NewEventId(), intent.Id, refund.Id, intent.Amount, 1_000), StripeMarket.WebhookSecret);

        var payment = Assert.Single(await App.Services.PaymentsOfAsync(orderId));
        Assert.Equal((PaymentStatus.Succeeded, 1_000L), (payment.Status, payment.RefundedMinor));
        Assert.Equal(OrderStatus.Complete, (await App.Services.ReadOrderAsync(orderId)).Status);
        Assert.Equal(TicketStatus.Sold, (await App.Services.ReadTicketAsync(ticket.Id)).Status);
        Assert.Equal("partly refunded", Assert.Single((await LedgerAsync()).Items).State);
    }

    [Fact]
    public async Task DisputeCreated_IsRecordedForTheAdmin_AndTheSaleStandsUntilItCloses()
    {
        var (buyer, ticket, orderId) = await ReservedAsync();
        await PayAsync(buyer, orderId);
        var intent = Assert.Single(Stub.IntentsFor(orderId));
        using var stripe = App.CreateClient();
        var payload = StripeEvents.DisputeCreated(StripeEvents.NewEventId(), intent.Id, "dp_" + Guid.NewGuid().ToString("N")[..16], intent.Amount, "fraudulent");

        await stripe.DeliverAsync(payload, StripeMarket.WebhookSecret);
        await stripe.DeliverAsync(payload, StripeMarket.WebhookSecret);

        var payment = Assert.Single(await App.Services.PaymentsOfAsync(orderId));
        Assert.Equal((PaymentStatus.Succeeded, "fraudulent"), (payment.Status, payment.DisputeReason));
        Assert.NotNull(payment.DisputeReference);
        Assert.Equal(1, payment.Version);
        Assert.Equal(OrderStatus.Complete, (await App.Services.ReadOrderAsync(orderId)).Status);
        Assert.Equal(TicketStatus.Sold, (await App.Services.ReadTicketAsync(ticket.Id)).Status);
        var entry = Assert.Single((await LedgerAsync()).Items);
        Assert.Equal(("disputed", "fraudulent", payment.DisputeReference), (entry.State, entry.Reason, entry.DisputeReference));
    }

    [Fact]
    public async Task Cancel_OfAnOrderWhoseIntentAwaitsAuthentication_CancelsTheIntent()
    {
        var (buyer, ticket, orderId) = await ReservedAsync();
        var pending = await buyer.PostAsJsonAsync("/api/payments", new { orderId, token = "pm_card_authenticationRequired" });
        Assert.Equal(HttpStatusCode.Accepted, pending.StatusCode);
        Assert.Equal(OrderStatus.AwaitingPayment, (await App.Services.ReadOrderAsync(orderId)).Status);

        var cancelled = await buyer.DeleteAsync($"/api/orders/{orderId}");

        Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        await TicketingApp.WaitUntilAsync(
            () => Task.FromResult(Stub.IntentsFor(orderId).Single().Status == "canceled"),
            TimeSpan.FromSeconds(15),
            "the order's PaymentIntent is canceled at Stripe");
        Assert.Equal(TicketStatus.Available, (await App.Services.ReadTicketAsync(ticket.Id)).Status);
        Assert.Empty(Stub.Charges);
    }

    [Fact]
    public async Task PaymentIntentSucceeded_ForAnOrderTheBuyerCancelled_IsRefundedAtStripe_AndTheOrderStaysCancelled()
    {
        var (buyer, ticket, orderId) = await ReservedAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await buyer.DeleteAsync($"/api/orders/{orderId}")).StatusCode);
        var intent = await ChargeOutsideTheAppAsync(orderId, amountMinor: 2_000);
        using var stripe = App.CreateClient();

        var response = await stripe.DeliverAsync(StripeEvents.PaymentIntentSucceeded(StripeEvents.NewEventId(), intent.Id, orderId, intent.Amount), StripeMarket.WebhookSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(intent.Id, Assert.Single(Stub.Refunds).PaymentIntentId);
        Assert.Equal(RefundReason.OrderCancelled, Assert.Single(await App.Services.PaymentsOfAsync(orderId)).RefundReason);
        Assert.Equal(CancellationReason.User, (await App.Services.ReadOrderAsync(orderId)).CancellationReason);
        Assert.Equal(TicketStatus.Available, (await App.Services.ReadTicketAsync(ticket.Id)).Status);
        await Market.AssertBooksMatchAsync();
    }

    private async Task<(HttpClient Buyer, Infrastructure.Tickets.TicketView Ticket, Guid OrderId)> ReservedAsync(decimal price = 20m)
    {
        var (buyer, buyerId, _) = await App.SignUpAsync();
        var ticket = await App.Services.ListTicketAsync(Guid.NewGuid(), price);
        var order = await App.Services.ReserveAsync(buyerId, ticket.Id);
        return (buyer, ticket, order.Id);
    }

    private static async Task PayAsync(HttpClient buyer, Guid orderId)
    {
        var response = await buyer.PostAsJsonAsync("/api/payments", new { orderId, token = "pm_card_visa" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>A PaymentIntent for the order confirmed at Stripe without the app (another integration, a dashboard payment).</summary>
    private async Task<PaymentIntent> ChargeOutsideTheAppAsync(Guid orderId, long amountMinor)
    {
        var client = new StripeClient(StripeStub.SecretKey, httpClient: new SystemNetHttpClient(new HttpClient(), maxNetworkRetries: 0), apiBase: Stub.BaseUrl);
        return await new PaymentIntentService(client).CreateAsync(new PaymentIntentCreateOptions
        {
            Amount = amountMinor,
            Currency = "usd",
            Confirm = true,
            PaymentMethod = "pm_card_visa",
            Metadata = new Dictionary<string, string> { ["order_id"] = orderId.ToString() },
        });
    }

    private async Task<RefundPage> LedgerAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RefundLedger>().ListAsync(0, 50);
    }
}
