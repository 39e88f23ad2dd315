using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Lifecycle;

/// <summary>
/// Money the provider confirms on its own (a Stripe webhook) after the order expired: the order is
/// completed if its ticket is still free, and the money recorded as owed back, then refunded,
/// otherwise.
/// </summary>
public sealed class LatePaymentTests
{
    private const decimal Price = 40m;
    private static readonly long AmountMinor = Money.ToMinorUnits(Price);
    private static readonly Dictionary<string, string?> TwoSecondWindow = new() { ["Ordering:ReservationSeconds"] = "2" };

    [Fact]
    public async Task LatePayment_ForAnExpiredOrderWhoseTicketIsStillFree_CompletesTheOrderAndSellsTheTicket()
    {
        await using var app = new TicketingApp(settings: TwoSecondWindow);
        var ticket = await app.Services.ListTicketAsync(Guid.NewGuid(), Price);
        var late = await app.Services.ReserveAsync(Guid.NewGuid(), ticket.Id);
        await WaitForExpiryAsync(app.Services, late.Id);

        var reference = await ChargeAsync(app.Services, late.Id);
        var result = await ApplyAsync(app.Services, late.Id, reference);

        Assert.Equal(PaymentOutcome.Completed, result.Outcome);
        var order = await app.Services.ReadOrderAsync(late.Id);
        Assert.Equal((OrderStatus.Complete, (CancellationReason?)null, 2), (order.Status, order.CancellationReason, order.Version));
        var sold = await app.Services.ReadTicketAsync(ticket.Id);
        Assert.Equal((TicketStatus.Sold, (Guid?)late.Id, 3), (sold.Status, sold.OrderId, sold.Version));
        var payment = Assert.Single(await PaymentsAsync(app.Services, late.Id));
        Assert.Equal((PaymentStatus.Succeeded, reference, AmountMinor, result.PaymentId), (payment.Status, payment.ProviderReference, payment.AmountMinor, (Guid?)payment.Id));

        await app.Services.WaitForOutboxToSettleAsync();
        Assert.Equal(
            ["OrderCreated:0", "OrderCancelled:1", "OrderCompleted:2"],
            (await app.Services.ReadOutboxAsync(late.Id)).Where(m => m.Type != "ExpirationComplete").Select(m => $"{m.Type}:{m.AggregateVersion}"));
    }

    [Fact]
    public async Task LatePayment_ForAnExpiredOrderWhoseTicketAnotherBuyerHasReserved_IsRefundedAndLeavesTheOtherOrderAlone()
    {
        var path = TicketingApp.NewDatabasePath();
        try
        {
            Guid ticketId, lateOrderId;
            await using (var first = new TicketingApp(settings: TwoSecondWindow, databasePath: path))
            {
                ticketId = (await first.Services.ListTicketAsync(Guid.NewGuid(), Price)).Id;
                lateOrderId = (await first.Services.ReserveAsync(Guid.NewGuid(), ticketId)).Id;
                await WaitForExpiryAsync(first.Services, lateOrderId);
            }

            // A normal window now, so that the other buyer's hold outlasts the test.
            await using var app = new TicketingApp(databasePath: path);
            var holder = await app.Services.ReserveAsync(Guid.NewGuid(), ticketId);
            var ticketBefore = await app.Services.ReadTicketAsync(ticketId);

            var reference = await ChargeAsync(app.Services, lateOrderId);
            var result = await ApplyAsync(app.Services, lateOrderId, reference);

            Assert.Equal(PaymentOutcome.Refunded, result.Outcome);
            await AssertRefundedAsync(app.Services, lateOrderId, reference);
            var holderOrder = await app.Services.ReadOrderAsync(holder.Id);
            Assert.Equal((OrderStatus.Created, 0), (holderOrder.Status, holderOrder.Version));
            var ticket = await app.Services.ReadTicketAsync(ticketId);
            Assert.Equal((TicketStatus.Reserved, (Guid?)holder.Id, (DateTimeOffset?)holder.ExpiresAt, ticketBefore.Version), (ticket.Status, ticket.OrderId, ticket.ReservedUntil, ticket.Version));
        }
        finally
        {
            TicketingApp.DeleteDatabase(path);
        }
    }

    [Fact]
    public async Task LatePayment_ForAnExpiredOrderWhoseTicketAnotherBuyerHasBought_IsRefunded()
    {
        await using var app = new TicketingApp(settings: TwoSecondWindow);
        var ticket = await app.Services.ListTicketAsync(Guid.NewGuid(), Price);
        var late = await app.Services.ReserveAsync(Guid.NewGuid(), ticket.Id);
        await WaitForExpiryAsync(app.Services, late.Id);
        var buyer = Guid.NewGuid();
        var bought = await app.Services.ReserveAsync(buyer, ticket.Id);
        Assert.Equal(PaymentOutcome.Completed, (await app.Services.PayAsync(buyer, bought.Id, "tok_visa")).Outcome);

        var reference = await ChargeAsync(app.Services, late.Id);
        var result = await ApplyAsync(app.Services, late.Id, reference);

        Assert.Equal(PaymentOutcome.Refunded, result.Outcome);
        await AssertRefundedAsync(app.Services, late.Id, reference);
        Assert.Equal(OrderStatus.Complete, (await app.Services.ReadOrderAsync(bought.Id)).Status);
        var sold = await app.Services.ReadTicketAsync(ticket.Id);
        Assert.Equal((TicketStatus.Sold, (Guid?)bought.Id), (sold.Status, sold.OrderId));
        Assert.Equal(PaymentStatus.Succeeded, Assert.Single(await PaymentsAsync(app.Services, bought.Id)).Status);
    }

    [Fact]
    public async Task LatePayment_DeliveredTwiceAtOnce_IsAppliedOnce()
    {
        await using var app = new TicketingApp(settings: TwoSecondWindow);
        var ticket = await app.Services.ListTicketAsync(Guid.NewGuid(), Price);
        var late = await app.Services.ReserveAsync(Guid.NewGuid(), ticket.Id);
        await WaitForExpiryAsync(app.Services, late.Id);
        var reference = await ChargeAsync(app.Services, late.Id);

        var outcomes = await Race.RunAsync<PaymentResult>(
        [
            () => ApplyAsync(app.Services, late.Id, reference),
            () => ApplyAsync(app.Services, late.Id, reference),
        ]);

        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Error?.ToString()));
        Assert.Equal([PaymentOutcome.Completed, PaymentOutcome.AlreadyApplied], outcomes.Select(o => o.Value!.Outcome).Order());
        Assert.Single(await PaymentsAsync(app.Services, late.Id));
        Assert.Equal(2, (await app.Services.ReadOrderAsync(late.Id)).Version);

        // And once more, long after.
        Assert.Equal(PaymentOutcome.AlreadyApplied, (await ApplyAsync(app.Services, late.Id, reference)).Outcome);
        Assert.Equal(3, (await app.Services.ReadTicketAsync(ticket.Id)).Version);
    }

    [Fact]
    public async Task LatePayment_ForATicketAnotherBuyerBought_DeliveredTwiceAtOnce_IsRecordedOnceAndNeitherDeliveryFails()
    {
        var reads = new TicketReadCounter();
        await using var app = new TicketingApp(settings: TwoSecondWindow);
        var services = reads.Attach(app).Services;
        var ticket = await services.ListTicketAsync(Guid.NewGuid(), Price);
        var late = await services.ReserveAsync(Guid.NewGuid(), ticket.Id);
        await WaitForExpiryAsync(services, late.Id);
        var buyer = Guid.NewGuid();
        var bought = await services.ReserveAsync(buyer, ticket.Id);
        Assert.Equal(PaymentOutcome.Completed, (await services.PayAsync(buyer, bought.Id, "tok_visa")).Outcome);
        var reference = await ChargeAsync(services, late.Id);

        Task<Outcome<PaymentResult>[]> race;
        using (SqliteWriteLock.Take(app.DatabasePath))
        {
            race = Race.RunAsync<PaymentResult>(
            [
                () => ApplyAsync(services, late.Id, reference),
                () => ApplyAsync(services, late.Id, reference),
            ]);

            // Both deliveries find no payment yet and see the ticket sold to someone else.
            await reads.WaitForRacersAsync(ticket.Id, 2);
        }

        var outcomes = await race;
        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Error?.ToString()));
        Assert.Equal([PaymentOutcome.Refunded, PaymentOutcome.AlreadyApplied], outcomes.Select(o => o.Value!.Outcome).OrderBy(o => o == PaymentOutcome.AlreadyApplied));
        await AssertRefundedAsync(services, late.Id, reference);
    }

    private static Task WaitForExpiryAsync(IServiceProvider services, Guid orderId) =>
        TicketingApp.WaitUntilAsync(
            async () => (await services.ReadOrderAsync(orderId)) is { Status: OrderStatus.Cancelled, CancellationReason: CancellationReason.Expired },
            TimeSpan.FromSeconds(30),
            "the order expires");

    private static Task<string> ChargeAsync(IServiceProvider services, Guid orderId) => services.ChargeAtTheProviderAsync(orderId, AmountMinor);

    private static Task<PaymentResult> ApplyAsync(IServiceProvider services, Guid orderId, string reference) =>
        services.ApplyPaymentAsync(orderId, reference, AmountMinor);

    private static Task<List<Payment>> PaymentsAsync(IServiceProvider services, Guid orderId) => services.PaymentsOfAsync(orderId);

    private static async Task AssertRefundedAsync(IServiceProvider services, Guid lateOrderId, string reference)
    {
        var payment = Assert.Single(await PaymentsAsync(services, lateOrderId));
        Assert.Equal((PaymentStatus.Refunded, reference, AmountMinor, (RefundReason?)RefundReason.TicketGone), (payment.Status, payment.ProviderReference, payment.AmountMinor, payment.RefundReason));

        // The gateway replays a refund for the same key: the stored id is the refund it really made.
        var refundId = await services.GetRequiredService<IPaymentGateway>().RefundAsync(new RefundRequest(reference, AmountMinor, $"refund-{reference}"), CancellationToken.None);
        Assert.Equal(refundId, payment.RefundReference);

        var order = await services.ReadOrderAsync(lateOrderId);
        Assert.Equal((OrderStatus.Cancelled, (CancellationReason?)CancellationReason.Expired, 1), (order.Status, order.CancellationReason, order.Version));
    }
}
