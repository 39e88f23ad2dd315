using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Orders;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Events;

/// <summary>Handlers see an aggregate's events in version order, whatever held one of them up.</summary>
public sealed class OutboxDeliveryOrderTests
{
    [Fact]
    public async Task LaterEventOfATicket_WaitsForAnEarlierOneStillClaimedByAProcessThatDied()
    {
        var path = TicketingApp.NewDatabasePath();
        try
        {
            Guid ticketId;
            using (var dormant = DormantProcess.On(path))
            {
                await using (var db = dormant.Services.OpenDb())
                {
                    await db.Database.MigrateAsync();
                }

                var buyer = Guid.NewGuid();
                ticketId = (await dormant.Services.ListTicketAsync(Guid.NewGuid())).Id;
                var order = await dormant.Services.ReserveAsync(buyer, ticketId);
                await dormant.Services.CancelAsync(buyer, order.Id);
            }

            // The dead process had claimed TicketLocked (version 1); TicketUnlocked (version 2) is free.
            var claimLapsesAt = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2);
            await using (var raw = TestDatabase.Open(path))
            {
                var locked = await raw.OutboxMessages.SingleAsync(m => m.Type == "TicketLocked" && m.AggregateId == ticketId);
                locked.LockedBy = "dead-host:1:0";
                locked.LockedUntil = claimLapsesAt;
                await raw.SaveChangesAsync();
            }

            var recorder = new LivePushRecorder();
            await using var app = new TicketingApp(databasePath: path);
            var restarted = recorder.Attach(app);
            await restarted.Services.WaitForOutboxToSettleAsync();

            // Out of order, every open page would show the ticket reserved by a cancelled order.
            Assert.Equal(
                ["TicketCreated:0", "TicketLocked:1", "TicketUnlocked:2"],
                recorder.Tickets.Where(c => c.Ticket.Id == ticketId).Select(c => $"{c.Kind}:{c.Ticket.Version}"));
        }
        finally
        {
            TicketingApp.DeleteDatabase(path);
        }
    }

    [Fact]
    public async Task OrderExpiry_IsNotHeldBackByAnEarlierEventWhoseHandlerKeepsFailing()
    {
        await using var app = new TicketingApp(settings: new Dictionary<string, string?> { ["Ordering:ReservationSeconds"] = "1" });
        var services = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddScoped<IEventHandler, UnreachableBackplanePush>())).Services;
        var ticketId = (await services.ListTicketAsync(Guid.NewGuid())).Id;

        var orderId = (await services.ReserveAsync(Guid.NewGuid(), ticketId)).Id;

        await TicketingApp.WaitUntilAsync(
            async () => (await services.ReadOrderAsync(orderId)).Status == OrderStatus.Cancelled,
            TimeSpan.FromSeconds(30),
            "the order expires while its OrderCreated keeps failing");
        var created = Assert.Single(await services.ReadOutboxAsync(orderId), m => m.Type == "OrderCreated");
        Assert.Null(created.ProcessedAt);
        Assert.True(created.Attempts > 0);
    }

    /// <summary>A push that fails every time, as one through a SignalR backplane that is down.</summary>
    private sealed class UnreachableBackplanePush : CommittedEventHandler<OrderCreated>
    {
        protected override Task HandleAsync(OrderCreated domainEvent, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The backplane is unreachable");
    }
}
