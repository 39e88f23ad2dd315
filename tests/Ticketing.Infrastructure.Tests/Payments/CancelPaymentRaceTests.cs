using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Admin;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Testing;
using Xunit.Abstractions;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Infrastructure.Tests.Payments;

/// <summary>A cancel and a payment go through the same order row: exactly one of them wins, and no money moves for a cancelled order.</summary>
public sealed class CancelPaymentRaceTests(ITestOutputHelper output)
{
    private const string InProgress = "A payment for this order is in progress";

    [Fact]
    public async Task CancelAgainstPay_HundredRounds_ExactlyOneWinsAndTheStateMatchesTheWinner()
    {
        const int Rounds = 100;
        var gateway = new CountingGateway();
        await using var app = new TicketingApp(services: gateway.Install);
        var (payWins, cancelWins) = (0, 0);
        for (var round = 0; round < Rounds; round++)
        {
            var buyer = Guid.NewGuid();
            var ticket = await app.Services.ListTicketAsync(Guid.NewGuid(), 20m);
            var order = await app.Services.ReserveAsync(buyer, ticket.Id);

            var outcomes = await Race.RunAsync<object?>(
            [
                async () => await app.Services.PayAsync(buyer, order.Id, "tok_visa"),
                async () => await app.Services.CancelAsync(buyer, order.Id),
            ]);

            var (pay, cancel) = (outcomes[0], outcomes[1]);
            var state = $"round {round}: pay {pay.Value ?? pay.Error?.Message}, cancel {(cancel.Succeeded ? "ok" : cancel.Error?.Message)}";
            Assert.True(pay.Succeeded != cancel.Succeeded, $"Exactly one side must win; {state}");
            var savedOrder = await app.Services.ReadOrderAsync(order.Id);
            var savedTicket = await app.Services.ReadTicketAsync(ticket.Id);
            if (pay.Succeeded)
            {
                payWins++;
                Assert.Equal(PaymentOutcome.Completed, Assert.IsType<PaymentResult>(pay.Value).Outcome);
                Assert.Contains(Assert.IsType<BusinessRuleViolationException>(cancel.Error).Message, new[] { InProgress, "Order has already been paid" });
                Assert.Equal((OrderStatus.Complete, TicketStatus.Sold, 1), (savedOrder.Status, savedTicket.Status, gateway.ChargesFor(order.Id)));
            }
            else
            {
                cancelWins++;
                Assert.Equal("Order has been cancelled", Assert.IsType<BusinessRuleViolationException>(pay.Error).Message);
                Assert.Equal((OrderStatus.Cancelled, (CancellationReason?)CancellationReason.User), (savedOrder.Status, savedOrder.CancellationReason));
                Assert.Equal((TicketStatus.Available, 0), (savedTicket.Status, gateway.ChargesFor(order.Id)));
            }
        }

        output.WriteLine($"{Rounds} rounds: payment won {payWins}, cancel won {cancelWins}");
        await using var db = app.Services.OpenDb();
        Assert.Equal(payWins, await db.Payments.CountAsync());
        Assert.Equal(payWins, gateway.Charges);
    }

    [Fact]
    public async Task Cancel_WhileTheChargeIsInsideTheGateway_Gets400_ThenTheChargeCompletesTheOrder()
    {
        var gateway = new CountingGateway();
        await using var app = new TicketingApp(services: gateway.Install);
        var buyer = Guid.NewGuid();
        var ticket = await app.Services.ListTicketAsync(Guid.NewGuid(), 20m);
        var order = await app.Services.ReserveAsync(buyer, ticket.Id);
        var hold = gateway.HoldCharges();

        var paying = Task.Run(() => app.Services.PayAsync(buyer, order.Id, "tok_visa"));
        await hold.Entered.WaitAsync(TimeSpan.FromSeconds(15));

        var byBuyer = await Assert.ThrowsAsync<BusinessRuleViolationException>(() => app.Services.CancelAsync(buyer, order.Id));
        var byAdmin = await Assert.ThrowsAsync<BusinessRuleViolationException>(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AdminDashboard>().CancelReservationAsync(new Actor(Guid.NewGuid(), IsAdmin: true), order.Id);
        });
        var again = await Assert.ThrowsAsync<BusinessRuleViolationException>(() => app.Services.PayAsync(buyer, order.Id, "pm_card_visa"));
        Assert.Equal((InProgress, InProgress, InProgress), (byBuyer.Message, byAdmin.Message, again.Message));
        Assert.Equal(OrderStatus.AwaitingPayment, (await app.Services.ReadOrderAsync(order.Id)).Status);

        hold.Release();
        var paid = await paying;

        Assert.Equal(PaymentOutcome.Completed, paid.Outcome);
        Assert.Equal(OrderStatus.Complete, (await app.Services.ReadOrderAsync(order.Id)).Status);
        Assert.Equal(TicketStatus.Sold, (await app.Services.ReadTicketAsync(ticket.Id)).Status);
        Assert.Equal(1, gateway.Charges);
    }

    [Fact]
    public async Task Pay_AfterACancelCommitted_IsRefusedBeforeAnyMoneyMoves()
    {
        var gateway = new CountingGateway();
        await using var app = new TicketingApp(services: gateway.Install);
        var buyer = Guid.NewGuid();
        var ticket = await app.Services.ListTicketAsync(Guid.NewGuid(), 20m);
        var order = await app.Services.ReserveAsync(buyer, ticket.Id);
        await app.Services.CancelAsync(buyer, order.Id);

        var ex = await Assert.ThrowsAsync<BusinessRuleViolationException>(() => app.Services.PayAsync(buyer, order.Id, "tok_visa"));

        Assert.Equal("Order has been cancelled", ex.Message);
        Assert.Equal(0, gateway.Charges);
    }

    [Fact]
    public async Task Expiry_WhileTheChargeIsInsideTheGateway_WaitsForIt_AndTheChargeCompletesTheOrder()
    {
        var gateway = new CountingGateway();
        await using var app = new TicketingApp(settings: new Dictionary<string, string?> { ["Ordering:ReservationSeconds"] = "2" }, services: gateway.Install);
        var buyer = Guid.NewGuid();
        var ticket = await app.Services.ListTicketAsync(Guid.NewGuid(), 20m);
        var order = await app.Services.ReserveAsync(buyer, ticket.Id);
        var hold = gateway.HoldCharges();

        var paying = Task.Run(() => app.Services.PayAsync(buyer, order.Id, "tok_visa"));
        await hold.Entered.WaitAsync(TimeSpan.FromSeconds(15));

        // The order's trigger fires at expiresAt; the expiry leaves a charge in flight alone.
        await TicketingApp.WaitUntilAsync(
            async () =>
            {
                await using var db = app.Services.OpenDb();
                return await db.OutboxMessages.AnyAsync(m => m.Type == "ExpirationComplete" && m.AggregateId == order.Id && m.ProcessedAt != null);
            },
            TimeSpan.FromSeconds(15),
            "the expiry of the order was raised and handled");
        Assert.True((await app.Services.ReadOrderAsync(order.Id)).IsCharging);

        hold.Release();

        Assert.Equal(PaymentOutcome.Completed, (await paying).Outcome);
        Assert.Equal(OrderStatus.Complete, (await app.Services.ReadOrderAsync(order.Id)).Status);
        Assert.Equal(TicketStatus.Sold, (await app.Services.ReadTicketAsync(ticket.Id)).Status);
    }

    [Fact]
    public async Task Decline_AfterTheWindowClosedWhileCharging_ExpiresTheOrderAndFreesTheTicket()
    {
        var gateway = new CountingGateway();
        await using var app = new TicketingApp(settings: new Dictionary<string, string?> { ["Ordering:ReservationSeconds"] = "2" }, services: gateway.Install);
        var buyer = Guid.NewGuid();
        var ticket = await app.Services.ListTicketAsync(Guid.NewGuid(), 20m);
        var order = await app.Services.ReserveAsync(buyer, ticket.Id);
        var hold = gateway.HoldCharges();

        var paying = Task.Run(() => app.Services.PayAsync(buyer, order.Id, "tok_chargeDeclined"));
        await hold.Entered.WaitAsync(TimeSpan.FromSeconds(15));
        await Task.Delay(order.ExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300));
        hold.Release();

        await Assert.ThrowsAsync<PaymentDeclinedException>(() => paying);
        var expired = await app.Services.ReadOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Cancelled, (CancellationReason?)CancellationReason.Expired), (expired.Status, expired.CancellationReason));
        Assert.Equal(TicketStatus.Available, (await app.Services.ReadTicketAsync(ticket.Id)).Status);
    }
}
