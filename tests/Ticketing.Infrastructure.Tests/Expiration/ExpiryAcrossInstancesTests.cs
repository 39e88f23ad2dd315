using System.Diagnostics;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;
using Xunit.Abstractions;

namespace Ticketing.Infrastructure.Tests.Expiration;

/// <summary>Several instances on one database: an expiry does not die with the instance that scheduled it.</summary>
public sealed class ExpiryAcrossInstancesTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> OneSecondWindow = new() { ["Ordering:ReservationSeconds"] = "1" };

    [Fact]
    public async Task Reservation_WhoseInstanceDiedBeforeItsWindowClosed_IsExpiredByAnotherRunningInstance()
    {
        var path = TicketingApp.NewDatabasePath();
        try
        {
            await using var survivor = new TicketingApp(settings: OneSecondWindow, databasePath: path);
            _ = survivor.Services;

            Guid ticketId, orderId;
            await using (var doomed = new TicketingApp(settings: OneSecondWindow, databasePath: path))
            {
                ticketId = (await doomed.Services.ListTicketAsync(Guid.NewGuid())).Id;
                orderId = (await doomed.Services.ReserveAsync(Guid.NewGuid(), ticketId)).Id;
                await doomed.Services.WaitForOutboxToSettleAsync();
            }

            // The survivor started before the order existed, so its start-up recovery never saw it;
            // unless its dispatcher happened to take OrderCreated, only its overdue sweep can act.
            var clock = Stopwatch.StartNew();
            await TicketingApp.WaitUntilAsync(
                async () => (await survivor.Services.ReadOrderAsync(orderId)).Status == OrderStatus.Cancelled,
                TimeSpan.FromSeconds(25),
                "the surviving instance expires the order");
            output.WriteLine($"expired {clock.ElapsedMilliseconds} ms after the other instance stopped");

            Assert.Equal(CancellationReason.Expired, (await survivor.Services.ReadOrderAsync(orderId)).CancellationReason);
            Assert.Equal(TicketStatus.Available, (await survivor.Services.ReadTicketAsync(ticketId)).Status);
        }
        finally
        {
            TicketingApp.DeleteDatabase(path);
        }
    }
}
