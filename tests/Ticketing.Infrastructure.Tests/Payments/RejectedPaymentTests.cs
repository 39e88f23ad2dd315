using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Admin;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Testing;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Infrastructure.Tests.Payments;

/// <summary>
/// Money the provider confirms for an order that cannot take it: recorded as owed back before the
/// refund is asked for, refunded once, never applied; a cancel the buyer or an admin was answered
/// stays a cancel.
/// </summary>
public sealed class RejectedPaymentTests
{
    private const long AmountMinor = 4_000;

    [Fact]
    public async Task PaymentForAnOrderTheBuyerCancelled_IsRecordedAndRefunded_AndTheOrderStaysCancelled()
    {
        var gateway = new CountingGateway();
        await using var app = new TicketingApp(services: gateway.Install);
        var (buyer, ticket, order) = await ReservedAsync(app);
        await app.Services.CancelAsync(buyer, order.Id);
        var reference = await app.Services.ChargeAtTheProviderAsync(order.Id, AmountMinor);

        var result = await app.Services.ApplyPaymentAsync(order.Id, reference, AmountMinor);
        var again = await app.Services.ApplyPaymentAsync(order.Id, reference, AmountMinor);

        Assert.Equal((PaymentOutcome.Refunded, (RefundReason?)RefundReason.OrderCancelled), (result.Outcome, result.RefundReason));
        Assert.Equal((PaymentOutcome.AlreadyApplied, result.PaymentId), (again.Outcome, again.PaymentId));
        await AssertRefundedOnceAsync(app, gateway, order.Id, reference, RefundReason.OrderCancelled);
        var cancelled = await app.Services.ReadOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Cancelled, (CancellationReason?)CancellationReason.User, 1), (cancelled.Status, cancelled.CancellationReason, cancelled.Version));
        Assert.Equal(TicketStatus.Available, (await app.Services.ReadTicketAsync(ticket.Id)).Status);
    }

    [Fact]
    public async Task PaymentForAnOrderAnAdminCancelled_IsRefunded_AndTheOrderStaysCancelled()
    {
        var gateway = new CountingGateway();
        await using var app = new TicketingApp(services: gateway.Install);
        var (_, ticket, order) = await ReservedAsync(app);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AdminDashboard>().CancelReservationAsync(new Actor(Guid.NewGuid(), IsAdmin: true), order.Id);
        }

        var reference = await app.Services.ChargeAtTheProviderAsync(order.Id, AmountMinor);

        var result = await app.Services.ApplyPaymentAsync(order.Id, reference, AmountMinor);

        Assert.Equal(RefundReason.OrderCancelled, result.RefundReason);
        await AssertRefundedOnceAsync(app, gateway, order.Id, reference, RefundReason.OrderCancelled);
        Assert.Equal(CancellationReason.Admin, (await app.Services.ReadOrderAsync(order.Id)).CancellationReason);
        Assert.Equal(TicketStatus.Available, (await app.Services.ReadTicketAsync(ticket.Id)).Status);
    }

    [Theory]
    [InlineData(AmountMinor - 1, "usd")]
    [InlineData(AmountMinor + 100, "usd")]
    [InlineData(AmountMinor, "eur")]
    public async Task PaymentOfAnotherAmountOrCurrency_IsRefundedAndNeverApplied(long amountMinor, string currency)
    {
        var gateway = new CountingGateway();
        await using var app = new TicketingApp(services: gateway.Install);
        var (_, ticket, order) = await ReservedAsync(app);
        var reference = await app.Services.ChargeAtTheProviderAsync(order.Id, amountMinor, currency);

        var result = await app.Services.ApplyPaymentAsync(order.Id, reference, amountMinor, currency);

        Assert.Equal((PaymentOutcome.Refunded, (RefundReason?)RefundReason.AmountMismatch), (result.Outcome, result.RefundReason));
        await AssertRefundedOnceAsync(app, gateway, order.Id, reference, RefundReason.AmountMismatch);
        var untouched = await app.Services.ReadOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Created, 0), (untouched.Status, untouched.Version));
        Assert.Equal(TicketStatus.Reserved, (await app.Services.ReadTicketAsync(ticket.Id)).Status);
    }

    [Fact]
    public async Task ASecondChargeForAPaidOrder_IsRecordedBesideTheFirstAndRefunded()
    {
        var gateway = new CountingGateway();
        await using var app = new TicketingApp(services: gateway.Install);
        var (buyer, _, order) = await ReservedAsync(app);
        var paid = await app.Services.PayAsync(buyer, order.Id, "tok_visa");

        var result = await app.Services.ApplyPaymentAsync(order.Id, "pi_elsewhere_" + Guid.NewGuid().ToString("N"), AmountMinor);

        Assert.Equal(RefundReason.AlreadyPaid, result.RefundReason);
        var payments = await app.Services.PaymentsOfAsync(order.Id);
        Assert.Equal(2, payments.Count);
        Assert.Equal(paid.PaymentId, Assert.Single(payments, p => p.Status == PaymentStatus.Succeeded).Id);
        Assert.Equal(RefundReason.AlreadyPaid, Assert.Single(payments, p => p.Status == PaymentStatus.Refunded).RefundReason);
        Assert.Equal(OrderStatus.Complete, (await app.Services.ReadOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task Refund_IsRecordedBeforeItIsAskedFor_SoAFailedRefundStaysOwedOnTheBooks()
    {
        var gateway = new CountingGateway();
        await using var app = new TicketingApp(services: gateway.Install);
        var (buyer, _, order) = await ReservedAsync(app);
        await app.Services.CancelAsync(buyer, order.Id);
        var reference = await app.Services.ChargeAtTheProviderAsync(order.Id, AmountMinor);
        gateway.FailTheNextRefund(new HttpRequestException("The provider is down."));

        var result = await app.Services.ApplyPaymentAsync(order.Id, reference, AmountMinor);

        Assert.Equal(PaymentOutcome.Refunded, result.Outcome);
        var owed = Assert.Single(await app.Services.PaymentsOfAsync(order.Id));
        Assert.Equal((PaymentStatus.Refunding, (string?)null, reference), (owed.Status, owed.RefundReference, owed.ProviderReference));
        await using var scope = app.Services.CreateAsyncScope();
        var ledger = await scope.ServiceProvider.GetRequiredService<RefundLedger>().ListAsync(0, 10);
        Assert.Equal("refund owed", Assert.Single(ledger.Items).State);
    }

    [Fact]
    public async Task PaymentDeliveredFiveTimesAtOnce_ForACancelledOrder_IsRecordedAndRefundedOnce()
    {
        var gateway = new CountingGateway();
        await using var app = new TicketingApp(services: gateway.Install);
        var (buyer, _, order) = await ReservedAsync(app);
        await app.Services.CancelAsync(buyer, order.Id);
        var reference = await app.Services.ChargeAtTheProviderAsync(order.Id, AmountMinor);

        var outcomes = await Race.RunAsync(Enumerable.Range(0, 5)
            .Select(_ => (Func<Task<PaymentResult>>)(() => app.Services.ApplyPaymentAsync(order.Id, reference, AmountMinor))).ToList());

        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Error?.ToString()));
        Assert.Single(outcomes, o => o.Value!.Outcome == PaymentOutcome.Refunded);
        await AssertRefundedOnceAsync(app, gateway, order.Id, reference, RefundReason.OrderCancelled);
    }

    private static async Task<(Guid Buyer, TicketView Ticket, Infrastructure.Orders.OrderView Order)> ReservedAsync(TicketingApp app)
    {
        var buyer = Guid.NewGuid();
        var ticket = await app.Services.ListTicketAsync(Guid.NewGuid(), AmountMinor / 100m);
        return (buyer, ticket, await app.Services.ReserveAsync(buyer, ticket.Id));
    }

    private static async Task AssertRefundedOnceAsync(TicketingApp app, CountingGateway gateway, Guid orderId, string reference, RefundReason reason)
    {
        var payment = Assert.Single(await app.Services.PaymentsOfAsync(orderId), p => p.ProviderReference == reference);
        Assert.Equal((PaymentStatus.Refunded, (RefundReason?)reason), (payment.Status, payment.RefundReason));
        Assert.Equal(payment.AmountMinor, payment.RefundedMinor);
        var refund = Assert.Single(gateway.RefundRequests, r => r.ProviderReference == reference);
        Assert.Equal(payment.AmountMinor, refund.AmountMinor);

        // The gateway replays a refund for the same key: the stored id is the refund it really made.
        Assert.Equal(await gateway.Inner.RefundAsync(refund, CancellationToken.None), payment.RefundReference);
        await using var db = app.Services.OpenDb();
        Assert.False(await db.OutboxMessages.AnyAsync(m => m.Type == nameof(PaymentCreated) && m.AggregateId == payment.Id));
    }
}
