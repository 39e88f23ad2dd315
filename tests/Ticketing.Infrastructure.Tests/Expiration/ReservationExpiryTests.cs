using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Expiration;

/// <summary>An unpaid reservation runs out on its own: nobody has to look at it.</summary>
public sealed class ReservationExpiryTests
{
    private static readonly Dictionary<string, string?> TwoSecondWindow = new() { ["Ordering:ReservationSeconds"] = "2" };

    [Fact]
    public async Task Reservation_NotPaidWithinItsWindow_IsCancelledByTheExpiryJobAndTheTicketUnlocked()
    {
        await using var app = new TicketingApp(settings: TwoSecondWindow);
        var ticket = await app.Services.ListTicketAsync(Guid.NewGuid());
        var clock = Stopwatch.StartNew();

        var reserved = await app.Services.ReserveAsync(Guid.NewGuid(), ticket.Id);

        // Only the database is read while waiting: no API call or page could expire it on read. It
        // goes soon after its window closes; the bound leaves room for a full test run sharing two cores.
        await TicketingApp.WaitUntilAsync(
            async () => (await app.Services.ReadOrderAsync(reserved.Id)).Status == OrderStatus.Cancelled,
            TimeSpan.FromSeconds(10) - clock.Elapsed,
            "the order is cancelled");
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));

        var order = await app.Services.ReadOrderAsync(reserved.Id);
        Assert.Equal(CancellationReason.Expired, order.CancellationReason);
        Assert.True(order.UpdatedAt >= order.ExpiresAt, $"Expired at {order.UpdatedAt:O}, before its window closed at {order.ExpiresAt:O}.");
        Assert.Equal(1, order.Version);

        var unlocked = await app.Services.ReadTicketAsync(ticket.Id);
        Assert.Equal((TicketStatus.Available, (Guid?)null, (DateTimeOffset?)null, 2), (unlocked.Status, unlocked.OrderId, unlocked.ReservedUntil, unlocked.Version));

        // The chain the spec names: the scheduled job raised ExpirationComplete through the outbox,
        // and Orders cancelled the order, Tickets unlocked the ticket, in that same commit: the three
        // rows were written by one transaction, so their ids are consecutive.
        await app.Services.WaitForOutboxToSettleAsync();
        await using var db = app.CreateDbContext();
        var expiration = Assert.Single(await db.OutboxMessages.AsNoTracking().Where(m => m.Type == "ExpirationComplete" && m.AggregateId == order.Id).ToListAsync());
        Assert.Equal(0, expiration.AggregateVersion);
        var sameCommit = await db.OutboxMessages.AsNoTracking()
            .Where(m => (m.Type == "OrderCancelled" && m.AggregateId == order.Id) || (m.Type == "TicketUnlocked" && m.AggregateId == ticket.Id))
            .Select(m => m.Id)
            .ToListAsync();
        Assert.Equal(2, sameCommit.Count);
        Assert.Equal(2, sameCommit.Append(expiration.Id).Max() - sameCommit.Append(expiration.Id).Min());
        Assert.Equal(
            ["OrderCreated:0", "OrderCancelled:1"],
            (await app.Services.ReadOutboxAsync(order.Id)).Where(m => m.Type != "ExpirationComplete").Select(m => $"{m.Type}:{m.AggregateVersion}"));
        var cancelled = (await app.Services.ReadOutboxAsync(order.Id)).Single(m => m.Type == "OrderCancelled");
        Assert.Equal(CancellationReason.Expired, Assert.IsType<OrderCancelled>(EventTypes.Deserialize(cancelled.Type, cancelled.Payload)).Reason);
        Assert.Equal(
            ["TicketCreated:0", "TicketLocked:1", "TicketUnlocked:2"],
            (await app.Services.ReadOutboxAsync(ticket.Id)).Select(m => $"{m.Type}:{m.AggregateVersion}"));
    }

    [Fact]
    public async Task Reservation_PaidWithinItsWindow_IsNeverExpired()
    {
        await using var app = new TicketingApp(settings: TwoSecondWindow);
        var ticket = await app.Services.ListTicketAsync(Guid.NewGuid());
        var buyer = Guid.NewGuid();
        var reserved = await app.Services.ReserveAsync(buyer, ticket.Id);

        var paid = await app.Services.PayAsync(buyer, reserved.Id, "tok_visa");
        Assert.Equal(PaymentOutcome.Completed, paid.Outcome);

        await WaitPastAsync(reserved.ExpiresAt + TimeSpan.FromSeconds(1));
        await app.Services.WaitForOutboxToSettleAsync();
        var order = await app.Services.ReadOrderAsync(reserved.Id);
        Assert.Equal((OrderStatus.Complete, (CancellationReason?)null), (order.Status, order.CancellationReason));
        Assert.Equal(TicketStatus.Sold, (await app.Services.ReadTicketAsync(ticket.Id)).Status);

        // Completing the order removed its trigger, so the job never fired for it.
        Assert.DoesNotContain(await app.Services.ReadOutboxAsync(reserved.Id), m => m.Type == "ExpirationComplete");
    }

    [Fact]
    public async Task Reservation_CancelledByTheBuyer_StaysCancelledByTheBuyerAfterItsWindow()
    {
        await using var app = new TicketingApp(settings: TwoSecondWindow);
        var ticket = await app.Services.ListTicketAsync(Guid.NewGuid());
        var buyer = Guid.NewGuid();
        var reserved = await app.Services.ReserveAsync(buyer, ticket.Id);

        await app.Services.CancelAsync(buyer, reserved.Id);

        await WaitPastAsync(reserved.ExpiresAt + TimeSpan.FromSeconds(1));
        await app.Services.WaitForOutboxToSettleAsync();
        var order = await app.Services.ReadOrderAsync(reserved.Id);
        Assert.Equal((OrderStatus.Cancelled, CancellationReason.User, 1), (order.Status, order.CancellationReason, order.Version));
        Assert.DoesNotContain(await app.Services.ReadOutboxAsync(reserved.Id), m => m.Type == "ExpirationComplete");
        Assert.Equal(2, (await app.Services.ReadTicketAsync(ticket.Id)).Version);
    }

    private static async Task WaitPastAsync(DateTimeOffset moment)
    {
        var remaining = moment - DateTimeOffset.UtcNow;
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining);
        }
    }
}
