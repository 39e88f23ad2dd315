using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Audit;
using Ticketing.Testing;
using Ticketing.Web.Tests.Api;

namespace Ticketing.Web.Tests.Audit;

/// <summary>
/// Steps no user takes: what Stripe's webhook tells (a payment confirmed later, a 3-D Secure
/// challenge failed, a refund made from Stripe's dashboard) and a reservation that runs out.
/// </summary>
public sealed class ProviderAuditTrailTests : IAsyncLifetime
{
    private StripeStub _stub = null!;
    private TicketingApp _app = null!;

    public async Task InitializeAsync()
    {
        _stub = await StripeStub.StartAsync();
        _app = new TicketingApp(settings: AppFixture.Settings(
            ("Stripe:SecretKey", StripeStub.SecretKey),
            ("Stripe:ApiBase", _stub.BaseUrl),
            ("Ordering:ReservationSeconds", "2")));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _stub.DisposeAsync();
    }

    private AuditTrailReader Trail => _app.Services.CreateScope().ServiceProvider.GetRequiredService<AuditTrailReader>();

    [Fact]
    public async Task PaymentConfirmedByWebhook_ThenRefundedFromStripesDashboard_AreTheWebhooksSteps()
    {
        var (_, buyer, ticket, order) = await _app.ReservedTicketAsync(price: 35m);
        var pending = await buyer.PostAsJsonAsync("/api/payments", new { orderId = order.Id, token = "pm_card_authenticationRequired" });
        Assert.Equal(HttpStatusCode.Accepted, pending.StatusCode);
        var intent = Assert.Single(_stub.IntentsFor(order.Id));
        using var stripe = _app.CreateClient();

        var paid = await stripe.DeliverAsync(StripeEvents.PaymentIntentSucceeded(StripeEvents.NewEventId(), intent.Id, order.Id, 3_500), AppFixture.WebhookSecret);
        var refund = _stub.RefundFromDashboard(intent.Id);
        var refunded = await stripe.DeliverAsync(StripeEvents.ChargeRefunded(StripeEvents.NewEventId(), intent.Id, refund.Id, 3_500, 3_500), AppFixture.WebhookSecret);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (paid.StatusCode, refunded.StatusCode));
        var steps = (await Trail.ForOrderAsync(order.Id, 0, 100)).Items;
        Assert.Equal(
            [
                (AuditStep.Reserved, AuditActor.Buyer),
                (AuditStep.PaymentStarted, AuditActor.Buyer),
                (AuditStep.PaymentStarted, AuditActor.Buyer),
                (AuditStep.Paid, AuditActor.Webhook),
                (AuditStep.Refunded, AuditActor.Webhook),
            ],
            steps.Select(s => (s.Step, s.Actor)));
        Assert.Contains(intent.Id, steps[2].Detail);
        Assert.Contains("Refunded at the payment provider", steps[4].Detail);
        Assert.Equal("refunded", (await buyer.GetOrderAsync(order.Id)).Status);
        Assert.Equal("available", (await buyer.GetTicketAsync(ticket.Id)).Status);
    }

    [Fact]
    public async Task ThreeDSecureChallengeFailed_IsTheWebhooksDeclinedStep_AndTheOrderIsPayableAgain()
    {
        // A window long enough that the order can only end as the bank's answer says, never by expiry.
        await using var app = new TicketingApp(settings: AppFixture.Settings(
            ("Stripe:SecretKey", StripeStub.SecretKey),
            ("Stripe:ApiBase", _stub.BaseUrl)));
        var (_, buyer, _, order) = await app.ReservedTicketAsync(price: 35m);
        using var stripe = app.CreateClient();
        _stub.SendWebhooksTo(stripe, AppFixture.WebhookSecret);
        var pending = await buyer.PostAsJsonAsync("/api/payments", new { orderId = order.Id, token = "pm_card_authenticationRequired" });
        Assert.Equal(HttpStatusCode.Accepted, pending.StatusCode);
        var intent = Assert.Single(_stub.IntentsFor(order.Id));

        // The buyer fails the bank's challenge: Stripe sends payment_intent.payment_failed on its own.
        _stub.FailChallenge(intent.Id);
        await _stub.WebhooksDeliveredAsync();

        Assert.Contains(_stub.Webhooks, w => w.Type == "payment_intent.payment_failed" && w.PaymentIntentId == intent.Id);
        var trail = app.Services.CreateScope().ServiceProvider.GetRequiredService<AuditTrailReader>();
        var steps = (await trail.ForOrderAsync(order.Id, 0, 100)).Items;
        Assert.Equal(
            [
                (AuditStep.Reserved, AuditActor.Buyer),
                (AuditStep.PaymentStarted, AuditActor.Buyer),
                (AuditStep.PaymentStarted, AuditActor.Buyer),
                (AuditStep.PaymentDeclined, AuditActor.Webhook),
            ],
            steps.Select(s => (s.Step, s.Actor)));
        Assert.Equal("created", (await buyer.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task ReservationThatRunsOut_IsTheExpirysStep()
    {
        var (_, _, _, order) = await _app.ReservedTicketAsync(price: 12m);

        await TicketingApp.WaitUntilAsync(
            async () => (await Trail.ForOrderAsync(order.Id, 0, 100)).Items.Any(s => s.Step == AuditStep.Expired),
            TimeSpan.FromSeconds(40),
            "the reservation expired");

        var expired = (await Trail.ForOrderAsync(order.Id, 0, 100)).Items[^1];
        Assert.Equal((AuditStep.Expired, AuditActor.Expiry, (string?)null), (expired.Step, expired.Actor, expired.ActorEmail));
        Assert.Contains("back on sale", expired.Detail);
    }
}
