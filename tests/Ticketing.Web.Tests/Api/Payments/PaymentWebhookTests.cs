using System.Net;
using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Payments;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Payments;

public sealed class PaymentWebhookTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task Webhook_PaymentSucceededDeliveredThreeTimes_AppliesItOnce()
    {
        var (_, buyer, ticket, order) = await _app.ReservedTicketAsync(price: 20m);
        var payload = StripeEvents.PaymentIntentSucceeded("evt_" + Guid.NewGuid().ToString("N"), "pi_" + Guid.NewGuid().ToString("N"), order.Id, 2_000);
        using var stripe = _app.CreateClient();

        for (var delivery = 1; delivery <= 3; delivery++)
        {
            using var request = StripeEvents.Delivery(payload, StripeEvents.Sign(payload, AppFixture.WebhookSecret));
            var response = await stripe.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await using var db = _app.CreateDbContext();
        var payment = await db.Payments.SingleAsync(p => p.OrderId == order.Id);
        Assert.Equal((2_000L, PaymentStatus.Succeeded), (payment.AmountMinor, payment.Status));
        Assert.Equal("complete", (await buyer.GetOrderAsync(order.Id)).Status);
        Assert.Equal("sold", (await buyer.GetTicketAsync(ticket.Id)).Status);
    }

    [Fact]
    public async Task Webhook_DeliveredConcurrently_AppliesItOnce()
    {
        var (_, buyer, _, order) = await _app.ReservedTicketAsync(price: 20m);
        var payload = StripeEvents.PaymentIntentSucceeded("evt_" + Guid.NewGuid().ToString("N"), "pi_" + Guid.NewGuid().ToString("N"), order.Id, 2_000);
        using var stripe = _app.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            using var request = StripeEvents.Delivery(payload, StripeEvents.Sign(payload, AppFixture.WebhookSecret));
            return (await stripe.SendAsync(request)).StatusCode;
        }));

        Assert.All(responses, status => Assert.Equal(HttpStatusCode.OK, status));
        await using var db = _app.CreateDbContext();
        Assert.Equal(1, await db.Payments.CountAsync(p => p.OrderId == order.Id));
        Assert.Equal("complete", (await buyer.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task Webhook_WithAnyContentType_ReadsTheRawBody()
    {
        var (_, buyer, _, order) = await _app.ReservedTicketAsync(price: 20m);
        var payload = StripeEvents.PaymentIntentSucceeded("evt_" + Guid.NewGuid().ToString("N"), "pi_" + Guid.NewGuid().ToString("N"), order.Id, 2_000);
        using var stripe = _app.CreateClient();
        using var request = StripeEvents.Delivery(payload, StripeEvents.Sign(payload, AppFixture.WebhookSecret), "text/plain");

        var response = await stripe.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("complete", (await buyer.GetOrderAsync(order.Id)).Status);
    }

    [Theory]
    [InlineData("whsec_someone_else")]
    [InlineData(null)]
    public async Task Webhook_WithABadOrMissingSignature_Returns400AndChangesNothing(string? signedWith)
    {
        var (_, buyer, ticket, order) = await _app.ReservedTicketAsync();
        var payload = StripeEvents.PaymentIntentSucceeded("evt_" + Guid.NewGuid().ToString("N"), "pi_" + Guid.NewGuid().ToString("N"), order.Id, 2_000);
        using var stripe = _app.CreateClient();
        var before = await DatabaseState.ReadAsync(_app);
        using var request = StripeEvents.Delivery(payload, signedWith is null ? null : StripeEvents.Sign(payload, signedWith));

        var response = await stripe.SendAsync(request);

        await response.AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before, await DatabaseState.ReadAsync(_app));
        Assert.Equal("created", (await buyer.GetOrderAsync(order.Id)).Status);
        Assert.Equal("reserved", (await buyer.GetTicketAsync(ticket.Id)).Status);
    }

    [Fact]
    public async Task Webhook_WithATamperedBody_Returns400()
    {
        var (_, _, _, order) = await _app.ReservedTicketAsync();
        var payload = StripeEvents.PaymentIntentSucceeded("evt_" + Guid.NewGuid().ToString("N"), "pi_" + Guid.NewGuid().ToString("N"), order.Id, 2_000);
        var signature = StripeEvents.Sign(payload, AppFixture.WebhookSecret);
        using var stripe = _app.CreateClient();
        using var request = StripeEvents.Delivery(payload.Replace("2000", "1", StringComparison.Ordinal), signature);

        var response = await stripe.SendAsync(request);

        await response.AssertErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Webhook_SignedLongAgo_Returns400()
    {
        var (_, _, _, order) = await _app.ReservedTicketAsync();
        var payload = StripeEvents.PaymentIntentSucceeded("evt_" + Guid.NewGuid().ToString("N"), "pi_" + Guid.NewGuid().ToString("N"), order.Id, 2_000);
        using var stripe = _app.CreateClient();
        using var request = StripeEvents.Delivery(payload, StripeEvents.Sign(payload, AppFixture.WebhookSecret, DateTimeOffset.UtcNow.AddHours(-1)));

        var response = await stripe.SendAsync(request);

        await response.AssertErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Webhook_UnknownEventType_Returns200AndChangesNothing()
    {
        var (_, buyer, _, order) = await _app.ReservedTicketAsync();
        var payload = StripeEvents.CustomerCreated("evt_" + Guid.NewGuid().ToString("N"));
        using var stripe = _app.CreateClient();
        var before = await DatabaseState.ReadAsync(_app);
        using var request = StripeEvents.Delivery(payload, StripeEvents.Sign(payload, AppFixture.WebhookSecret));

        var response = await stripe.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, await DatabaseState.ReadAsync(_app));
        Assert.Equal("created", (await buyer.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task Webhook_PaymentFailed_ForAnOrderNotWaitingForItsBank_Returns200AndChangesNothing()
    {
        var (_, buyer, _, order) = await _app.ReservedTicketAsync(price: 20m);
        using var stripe = _app.CreateClient();
        var before = await DatabaseState.ReadAsync(_app);

        var known = await stripe.DeliverAsync(
            StripeEvents.PaymentIntentPaymentFailed(StripeEvents.NewEventId(), "pi_" + Guid.NewGuid().ToString("N"), order.Id, 2_000), AppFixture.WebhookSecret);
        var unknown = await stripe.DeliverAsync(
            StripeEvents.PaymentIntentPaymentFailed(StripeEvents.NewEventId(), "pi_" + Guid.NewGuid().ToString("N"), Guid.NewGuid(), 2_000), AppFixture.WebhookSecret);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (known.StatusCode, unknown.StatusCode));
        Assert.Equal(before, await DatabaseState.ReadAsync(_app));
        Assert.Equal("created", (await buyer.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task Webhook_ForAnOrderThatDoesNotExist_Returns200()
    {
        var payload = StripeEvents.PaymentIntentSucceeded("evt_" + Guid.NewGuid().ToString("N"), "pi_" + Guid.NewGuid().ToString("N"), Guid.NewGuid(), 2_000);
        using var stripe = _app.CreateClient();
        var before = await DatabaseState.ReadAsync(_app);
        using var request = StripeEvents.Delivery(payload, StripeEvents.Sign(payload, AppFixture.WebhookSecret));

        var response = await stripe.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, await DatabaseState.ReadAsync(_app));
    }

    [Fact]
    public async Task Webhook_AfterTheBuyerCancelled_EvenWithTheTicketStillFree_RefundsTheMoneyAndTheOrderStaysCancelled()
    {
        var (_, buyer, ticket, order) = await _app.ReservedTicketAsync(price: 20m);
        Assert.Equal(HttpStatusCode.NoContent, (await buyer.DeleteAsync($"/api/orders/{order.Id}")).StatusCode);
        var payload = StripeEvents.PaymentIntentSucceeded("evt_" + Guid.NewGuid().ToString("N"), "pi_" + Guid.NewGuid().ToString("N"), order.Id, 2_000);
        using var stripe = _app.CreateClient();

        var response = await stripe.DeliverAsync(payload, AppFixture.WebhookSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cancelled", (await buyer.GetOrderAsync(order.Id)).Status);
        Assert.Equal("available", (await buyer.GetTicketAsync(ticket.Id)).Status);
        await using var db = _app.CreateDbContext();
        var payment = await db.Payments.SingleAsync(p => p.OrderId == order.Id);
        Assert.Equal((PaymentStatus.Refunded, (RefundReason?)RefundReason.OrderCancelled, 2_000L), (payment.Status, payment.RefundReason, payment.RefundedMinor));
        Assert.NotNull(payment.RefundReference);
    }

    [Fact]
    public async Task Webhook_AfterAnAdminCancelled_RefundsTheMoneyAndTheOrderStaysCancelled()
    {
        var (_, buyer, _, order) = await _app.ReservedTicketAsync(price: 20m);
        using var admin = await _app.SignInAdminAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/orders/{order.Id}")).StatusCode);
        using var stripe = _app.CreateClient();

        await stripe.DeliverAsync(StripeEvents.PaymentIntentSucceeded(StripeEvents.NewEventId(), "pi_" + Guid.NewGuid().ToString("N"), order.Id, 2_000), AppFixture.WebhookSecret);

        Assert.Equal("cancelled", (await buyer.GetOrderAsync(order.Id)).Status);
        await using var db = _app.CreateDbContext();
        Assert.Equal(PaymentStatus.Refunded, (await db.Payments.SingleAsync(p => p.OrderId == order.Id)).Status);
    }

    [Theory]
    [InlineData(1_999, "usd")]
    [InlineData(2_000, "eur")]
    public async Task Webhook_WithAnotherAmountOrCurrency_IsRefundedAndNeverCompletesTheOrder(long amount, string currency)
    {
        var (_, buyer, ticket, order) = await _app.ReservedTicketAsync(price: 20m);
        using var stripe = _app.CreateClient();

        var response = await stripe.DeliverAsync(
            StripeEvents.PaymentIntentSucceeded(StripeEvents.NewEventId(), "pi_" + Guid.NewGuid().ToString("N"), order.Id, amount, currency), AppFixture.WebhookSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("created", (await buyer.GetOrderAsync(order.Id)).Status);
        Assert.Equal("reserved", (await buyer.GetTicketAsync(ticket.Id)).Status);
        await using var db = _app.CreateDbContext();
        var payment = await db.Payments.SingleAsync(p => p.OrderId == order.Id);
        Assert.Equal((PaymentStatus.Refunded, (RefundReason?)RefundReason.AmountMismatch, amount), (payment.Status, payment.RefundReason, payment.AmountMinor));
    }

    [Fact]
    public async Task Webhook_AfterTheOrderWasCancelled_WhenSomeoneElseHoldsTheTicket_RefundsTheMoney()
    {
        var (_, buyer, ticket, order) = await _app.ReservedTicketAsync(price: 20m);
        await buyer.DeleteAsync($"/api/orders/{order.Id}");
        var (next, _, _) = await _app.SignUpAsync();
        var nextOrder = await next.ReserveAsync(ticket.Id);
        var payload = StripeEvents.PaymentIntentSucceeded("evt_" + Guid.NewGuid().ToString("N"), "pi_" + Guid.NewGuid().ToString("N"), order.Id, 2_000);
        using var stripe = _app.CreateClient();
        using var request = StripeEvents.Delivery(payload, StripeEvents.Sign(payload, AppFixture.WebhookSecret));

        var response = await stripe.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cancelled", (await buyer.GetOrderAsync(order.Id)).Status);
        var held = await next.GetTicketAsync(ticket.Id);
        Assert.Equal(("reserved", (Guid?)nextOrder.Id), (held.Status, held.OrderId));
        await using var db = _app.CreateDbContext();
        Assert.Equal(PaymentStatus.Refunded, (await db.Payments.SingleAsync(p => p.OrderId == order.Id)).Status);
    }

    [Fact]
    public async Task Webhook_Acknowledges_WithReceivedTrue()
    {
        var payload = StripeEvents.CustomerCreated("evt_" + Guid.NewGuid().ToString("N"));
        using var stripe = _app.CreateClient();
        using var request = StripeEvents.Delivery(payload, StripeEvents.Sign(payload, AppFixture.WebhookSecret));

        var response = await stripe.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"received":true}""", await response.Content.ReadAsStringAsync());
    }
}
