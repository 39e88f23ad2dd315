using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Expiration;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;
using Xunit.Abstractions;

namespace Ticketing.Infrastructure.Tests.Expiration;

/// <summary>
/// Expiry triggers live in the scheduler's memory; the orders table is what survives a restart
/// (docs/decisions/0004).
/// </summary>
public sealed class ExpiryAcrossRestartTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> ThreeSecondWindow = new() { ["Ordering:ReservationSeconds"] = "3" };

    [Fact]
    public async Task Reservation_WhoseWindowClosedWhileTheAppWasDown_IsExpiredSoonAfterRestart()
    {
        var path = TicketingApp.NewDatabasePath();
        try
        {
            var (ticketId, reserved) = await ReserveThenStopAsync(path);
            await using (var db = TestDatabase.Open(path))
            {
                Assert.True((await db.Orders.AsNoTracking().SingleAsync(o => o.Id == reserved.Id)).IsLive, "The first host expired the order before it stopped; the restart proves nothing.");
            }

            var pastWindow = reserved.ExpiresAt + TimeSpan.FromSeconds(0.5) - DateTimeOffset.UtcNow;
            if (pastWindow > TimeSpan.Zero)
            {
                await Task.Delay(pastWindow);
            }

            var restartedAt = DateTimeOffset.UtcNow;
            var sinceRestart = Stopwatch.StartNew();
            await using var second = new TicketingApp(settings: ThreeSecondWindow, databasePath: path);
            await TicketingApp.WaitUntilAsync(
                async () => (await second.Services.ReadOrderAsync(reserved.Id)).Status == OrderStatus.Cancelled,
                TimeSpan.FromSeconds(30),
                "the restarted app expires the order");
            output.WriteLine($"expired {sinceRestart.ElapsedMilliseconds} ms after the restart began");

            var order = await second.Services.ReadOrderAsync(reserved.Id);
            Assert.Equal(CancellationReason.Expired, order.CancellationReason);
            Assert.True(order.UpdatedAt >= restartedAt);
            var ticket = await second.Services.ReadTicketAsync(ticketId);
            Assert.Equal((TicketStatus.Available, (Guid?)null), (ticket.Status, ticket.OrderId));
            Assert.Contains(await second.Services.ReadOutboxAsync(reserved.Id), m => m.Type == "ExpirationComplete");
        }
        finally
        {
            TicketingApp.DeleteDatabase(path);
        }
    }

    [Fact]
    public async Task Reservation_StillOpenAtRestart_ExpiresWhenItsWindowCloses_NotAtRestart()
    {
        var path = TicketingApp.NewDatabasePath();
        try
        {
            var (_, reserved) = await ReserveThenStopAsync(path);

            await using var second = new TicketingApp(settings: ThreeSecondWindow, databasePath: path);
            await second.Services.WaitForOutboxToSettleAsync();
            if (DateTimeOffset.UtcNow < reserved.ExpiresAt - TimeSpan.FromMilliseconds(200))
            {
                Assert.True((await second.Services.ReadOrderAsync(reserved.Id)).IsLive, "The restart expired an order whose window was still open.");
            }

            // The trigger the restart gave back expires the order, not the overdue sweep: that one
            // leaves every order its grace first. Within the grace, not within a tighter bound: on a
            // loaded machine a trigger's job may wait seconds for a thread.
            await TicketingApp.WaitUntilAsync(
                async () => (await second.Services.ReadOrderAsync(reserved.Id)).Status == OrderStatus.Cancelled,
                reserved.ExpiresAt - DateTimeOffset.UtcNow + OverdueOrderSweepJob.Grace,
                "the restarted app expires the order when its window closes");
            var order = await second.Services.ReadOrderAsync(reserved.Id);
            Assert.Equal(CancellationReason.Expired, order.CancellationReason);
            Assert.True(order.UpdatedAt >= order.ExpiresAt, $"Expired at {order.UpdatedAt:O}, before its window closed at {order.ExpiresAt:O}.");
            Assert.True(order.UpdatedAt < order.ExpiresAt + OverdueOrderSweepJob.Grace, $"Expired at {order.UpdatedAt:O}: by the sweep, not by its trigger.");
        }
        finally
        {
            TicketingApp.DeleteDatabase(path);
        }
    }

    /// <summary>Reserves on a first host, lets it schedule the trigger, then stops it.</summary>
    private static async Task<(Guid TicketId, OrderView Order)> ReserveThenStopAsync(string path)
    {
        await using var first = new TicketingApp(settings: ThreeSecondWindow, databasePath: path);
        var ticket = await first.Services.ListTicketAsync(Guid.NewGuid());
        var reserved = await first.Services.ReserveAsync(Guid.NewGuid(), ticket.Id);
        await first.Services.WaitForOutboxToSettleAsync();
        return (ticket.Id, reserved);
    }
}
