using Microsoft.EntityFrameworkCore;
using Ticketing.Infrastructure.Email;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Email;

/// <summary>
/// The outbox delivers at least once; e-mail goes out once per event and recipient however often
/// an event is delivered, and however many instances deliver.
/// </summary>
public sealed class EmailRedeliveryTests
{
    [Fact]
    public async Task EventsDeliveredAgain_EvenWithTheirHandlersRecordsLost_SendNoSecondEmail()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var app = Mailboxes.AppSendingTo(sink);
        var (sellerId, seller) = await app.NewUserAsync("seller");
        var (buyerId, buyer) = await app.NewUserAsync("buyer");
        var sold = await app.Services.ListTicketAsync(sellerId, 30m, "Opera");
        var paid = await app.Services.ReserveAsync(buyerId, sold.Id);
        await app.Services.PayAsync(buyerId, paid.Id, "tok_visa");
        var dropped = await app.Services.ListTicketAsync(sellerId, 20m, "Ballet");
        var cancelled = await app.Services.ReserveAsync(buyerId, dropped.Id);
        await app.Services.CancelAsync(buyerId, cancelled.Id);

        // Welcome, reserved ×2, receipt, e-ticket, cancelled; welcome, sold.
        await sink.WaitForAsync(m => m.Recipient() == buyer, count: 6);
        await sink.WaitForAsync(m => m.Recipient() == seller, count: 2);
        await WaitForQueueToDrainAsync(app);
        var before = sink.Messages.Count;

        // Every message of these orders and users is delivered again, and the e-mail handlers' own
        // delivery records are gone: the handlers run a second time.
        var aggregates = new[] { paid.Id, cancelled.Id, buyerId, sellerId };
        await using (var db = app.Services.OpenDb())
        {
            var messages = db.OutboxMessages.Where(m => aggregates.Contains(m.AggregateId));
            var emailDeliveries = await db.OutboxDeliveries.Where(d => messages.Any(m => m.Id == d.MessageId)
                && (d.Handler.StartsWith("EmailOn") || d.Handler == "EmailETicketOnOrderCompleted" || d.Handler == "WelcomeOnUserCreated")).ExecuteDeleteAsync();
            Assert.Equal(7, emailDeliveries);
            await messages.ExecuteUpdateAsync(s => s.SetProperty(m => m.ProcessedAt, (DateTimeOffset?)null).SetProperty(m => m.LockedUntil, (DateTimeOffset?)null));
        }

        await app.Services.WaitForOutboxToSettleAsync(TimeSpan.FromSeconds(30));
        await using (var db = app.Services.OpenDb())
        {
            var rerun = await db.OutboxDeliveries.CountAsync(d => db.OutboxMessages.Any(m => m.Id == d.MessageId && aggregates.Contains(m.AggregateId))
                && (d.Handler.StartsWith("EmailOn") || d.Handler == "EmailETicketOnOrderCompleted" || d.Handler == "WelcomeOnUserCreated"));
            Assert.Equal(7, rerun);
            Assert.Equal(8, await db.Set<EmailMessage>().CountAsync(m => m.Recipient == buyer || m.Recipient == seller));
        }

        await WaitForQueueToDrainAsync(app);
        Assert.Equal(before, sink.Messages.Count);
        Assert.Equal(6, sink.To(buyer).Count);
        Assert.Equal(2, sink.To(seller).Count);
    }

    [Fact]
    public async Task TwoInstancesOnOneDatabase_SendEachEmailOnce()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var first = Mailboxes.AppSendingTo(sink);
        await using var second = Mailboxes.AppSendingTo(sink, databasePath: first.DatabasePath);
        _ = first.Services;
        _ = second.Services;
        var (sellerId, _) = await first.NewUserAsync("seller");
        var buyers = new List<(Guid Id, string Email)>();
        for (var i = 0; i < 6; i++)
        {
            buyers.Add(await (i % 2 == 0 ? first : second).NewUserAsync($"buyer{i}"));
        }

        // 30 reservations, each through either instance: both dispatchers and both senders compete.
        var reservations = new List<Task>();
        for (var i = 0; i < 30; i++)
        {
            var app = i % 2 == 0 ? first : second;
            var buyer = buyers[i % buyers.Count];
            var ticket = await app.Services.ListTicketAsync(sellerId, 10m + i, $"Seat {i}");
            reservations.Add(app.Services.ReserveAsync(buyer.Id, ticket.Id));
        }

        await Task.WhenAll(reservations);

        await sink.WaitForAsync(m => m.Subject!.StartsWith("Reserved: Seat ", StringComparison.Ordinal), count: 30, timeout: TimeSpan.FromSeconds(60));
        await first.Services.WaitForOutboxToSettleAsync(TimeSpan.FromSeconds(30));
        await WaitForQueueToDrainAsync(first);

        var reserved = sink.Messages.Where(m => m.Subject!.StartsWith("Reserved: Seat ", StringComparison.Ordinal)).ToList();
        Assert.Equal(30, reserved.Count);
        Assert.Equal(30, reserved.Select(m => m.Subject).Distinct().Count());
        Assert.Equal(sink.Messages.Count, sink.Messages.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(7, sink.Messages.Count(m => m.Subject == "Welcome to Ticketing" && m.Recipient() != TicketingApp.AdminEmail));
    }

    /// <summary>Every queued e-mail has been answered by the server.</summary>
    private static Task WaitForQueueToDrainAsync(TicketingApp app) =>
        TicketingApp.WaitUntilAsync(
            async () =>
            {
                await using var db = app.Services.OpenDb();
                return !await db.Set<EmailMessage>().AnyAsync(m => m.DueAt != null);
            },
            TimeSpan.FromSeconds(30),
            "every queued e-mail is sent");
}
