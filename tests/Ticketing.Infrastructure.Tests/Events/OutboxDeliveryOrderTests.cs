using Microsoft.EntityFrameworkCore;
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
}
