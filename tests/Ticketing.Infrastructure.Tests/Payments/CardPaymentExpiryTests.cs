using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Payments;

namespace Ticketing.Infrastructure.Tests.Payments;

/// <summary>
/// The hold window rules a card payment that waits for the buyer's bank: the order's PaymentIntent
/// is canceled when the order expires, and money the bank confirmed just before follows the
/// late-payment rule.
/// </summary>
public sealed class CardPaymentExpiryTests() : StripeMarketTests(reservationSeconds: 8)
{
    [Fact]
    public async Task Expiry_WhileTheBankWaits_CancelsTheIntent_SoALateAnswerTakesNoMoney()
    {
        var (buyer, ticket, orderId) = await Market.ReservedAsync();
        Assert.Equal(PaymentOutcome.Pending, (await Market.PayWithCardAsync(buyer, orderId, StripeTestCards.ThreeDSecure)).Outcome);
        var intent = Assert.Single(Stub.IntentsFor(orderId));

        // The window is 8 s; the bound beyond it is for a CI machine running every project at once.
        await Market.WaitForIntentAsync(intent.Id, "canceled", TimeSpan.FromSeconds(60));
        Stub.CompleteChallenge(intent.Id);

        var order = await Market.Services.ReadOrderAsync(orderId);
        Assert.Equal((OrderStatus.Cancelled, (CancellationReason?)CancellationReason.Expired), (order.Status, order.CancellationReason));
        Assert.Equal(TicketStatus.Available, (await Market.Services.ReadTicketAsync(ticket.Id)).Status);
        Assert.Equal("canceled", Stub.Intent(intent.Id).Status);
        Assert.Empty(Stub.Charges);
        await Market.AssertBooksMatchAsync();
    }

    [Fact]
    public async Task Expiry_AfterTheBankSaidYesButBeforeStripeSaidSo_CompletesTheOrderLate_WhileItsTicketIsFree()
    {
        var (buyer, ticket, orderId) = await Market.ReservedAsync();
        var hold = Stub.HoldWebhooks();
        Assert.Equal(PaymentOutcome.Pending, (await Market.PayWithCardAsync(buyer, orderId, StripeTestCards.ThreeDSecure)).Outcome);
        var intent = Assert.Single(Stub.IntentsFor(orderId));
        Stub.CompleteChallenge(intent.Id);

        // The window closes with Stripe's word held back. Cancelling the intent fails, since it took
        // the money: the order, expired, completes late because its ticket is still free.
        await Market.WaitForOrderAsync(orderId, OrderStatus.Complete, TimeSpan.FromSeconds(60));
        hold.Release();
        await Stub.WebhooksDeliveredAsync();

        var order = await Market.Services.ReadOrderAsync(orderId);
        Assert.Equal((OrderStatus.Complete, (CancellationReason?)null), (order.Status, order.CancellationReason));
        Assert.True(order.UpdatedAt >= order.ExpiresAt, "The order completed before its window closed: the expiry never ran.");
        Assert.Equal(TicketStatus.Sold, (await Market.Services.ReadTicketAsync(ticket.Id)).Status);
        var payment = Assert.Single(await Market.Services.PaymentsOfAsync(orderId));
        Assert.Equal((intent.Id, PaymentStatus.Succeeded), (payment.ProviderReference, payment.Status));
        Assert.Empty(Stub.Refunds);
        await Market.AssertBooksMatchAsync();
    }
}
