using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Payments;

/// <summary>
/// The hold window rules a card payment that waits for the buyer's bank: the order's PaymentIntent
/// is canceled when the order expires, and money the bank confirmed just before follows the
/// late-payment rule.
/// </summary>
public sealed class CardPaymentExpiryTests : IAsyncLifetime
{
    private StripeMarket _market = null!;

    public async Task InitializeAsync() => _market = await StripeMarket.StartAsync(reservationSeconds: 8);

    public async Task DisposeAsync() => await _market.DisposeAsync();

    [Fact]
    public async Task Expiry_WhileTheBankWaits_CancelsTheIntent_SoALateAnswerTakesNoMoney()
    {
        var (buyer, ticket, orderId) = await _market.ReservedAsync();
        Assert.Equal(PaymentOutcome.Pending, (await _market.PayWithCardAsync(buyer, orderId, StripeTestCards.ThreeDSecure)).Outcome);
        var intent = Assert.Single(_market.Stub.IntentsFor(orderId));

        // The window is 8 s; the bound beyond it is for a CI machine running every project at once.
        await _market.WaitForIntentAsync(intent.Id, "canceled", TimeSpan.FromSeconds(60));
        _market.Stub.CompleteChallenge(intent.Id);

        var order = await _market.Services.ReadOrderAsync(orderId);
        Assert.Equal((OrderStatus.Cancelled, (CancellationReason?)CancellationReason.Expired), (order.Status, order.CancellationReason));
        Assert.Equal(TicketStatus.Available, (await _market.Services.ReadTicketAsync(ticket.Id)).Status);
        Assert.Equal("canceled", _market.Stub.Intent(intent.Id).Status);
        Assert.Empty(_market.Stub.Charges);
        await _market.AssertBooksMatchAsync();
    }

    [Fact]
    public async Task Expiry_AfterTheBankSaidYesButBeforeStripeSaidSo_CompletesTheOrderLate_WhileItsTicketIsFree()
    {
        var (buyer, ticket, orderId) = await _market.ReservedAsync();
        var hold = _market.Stub.HoldWebhooks();
        Assert.Equal(PaymentOutcome.Pending, (await _market.PayWithCardAsync(buyer, orderId, StripeTestCards.ThreeDSecure)).Outcome);
        var intent = Assert.Single(_market.Stub.IntentsFor(orderId));
        _market.Stub.CompleteChallenge(intent.Id);

        // The window closes with Stripe's word held back. Cancelling the intent fails, since it took
        // the money: the order, expired, completes late because its ticket is still free.
        await _market.WaitForOrderAsync(orderId, OrderStatus.Complete, TimeSpan.FromSeconds(60));
        hold.Release();
        await _market.Stub.WebhooksDeliveredAsync();

        var order = await _market.Services.ReadOrderAsync(orderId);
        Assert.Equal((OrderStatus.Complete, (CancellationReason?)null), (order.Status, order.CancellationReason));
        Assert.True(order.UpdatedAt >= order.ExpiresAt, "The order completed before its window closed: the expiry never ran.");
        Assert.Equal(TicketStatus.Sold, (await _market.Services.ReadTicketAsync(ticket.Id)).Status);
        var payment = Assert.Single(await _market.Services.PaymentsOfAsync(orderId));
        Assert.Equal((intent.Id, PaymentStatus.Succeeded), (payment.ProviderReference, payment.Status));
        Assert.Empty(_market.Stub.Refunds);
        await _market.AssertBooksMatchAsync();
    }
}
