using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Delivery;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Delivery;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Delivery;

/// <summary>
/// A refunded buyer keeps the file they downloaded, so a ticket that goes back on sale loses that
/// file (its bytes too) and its seller is asked for a new one; a withdrawn ticket, or a file the
/// seller attached after the refund, is left alone.
/// </summary>
public sealed class RelistedTicketFileTests : MailboxTests
{
    [Fact]
    public async Task RefundThatRelists_TakesTheSoldFileOff_AndAsksTheSellerForANewOne()
    {
        var (sellerId, seller, ticketId, orderId) = await SoldWithFileAsync("Harbour concert");

        await RefundAsync(orderId, RefundedTicket.Relist);

        var email = Assert.Single(await Sink.WaitForAsync(m => m.Recipient() == seller && m.Subject == "Back on sale: Harbour concert"));
        Assert.Contains("attach the new file", email.Text());
        await App.Services.WaitForOutboxToSettleAsync();
        Assert.Equal(TicketStatus.Available, (await App.Services.ReadTicketAsync(ticketId)).Status);
        Assert.Null(await DescribeAsync(sellerId, ticketId));
        Assert.Equal(0, await StoredFilesAsync());

        // The next buyer's e-ticket waits for the seller's fresh file.
        var (nextBuyerId, _) = await App.NewUserAsync("next");
        var next = await App.Services.ReserveAsync(nextBuyerId, ticketId);
        await App.Services.PayAsync(nextBuyerId, next.Id, "tok_visa");
        await using var scope = App.Services.CreateAsyncScope();
        var delivery = await scope.ServiceProvider.GetRequiredService<OrderDelivery>().FindAsync(new Actor(nextBuyerId), next.Id);
        Assert.NotNull(delivery?.SellerSendsBy);
    }

    [Fact]
    public async Task RefundThatWithdraws_KeepsTheFile()
    {
        var (_, seller, ticketId, orderId) = await SoldWithFileAsync("Withdrawn gala");

        await RefundAsync(orderId, RefundedTicket.Withdraw);

        await App.Services.WaitForOutboxToSettleAsync();
        await using (var db = App.Services.OpenDb())
        {
            Assert.True(await db.Set<TicketFile>().AnyAsync(f => f.TicketId == ticketId));
        }

        Assert.Equal(1, await StoredFilesAsync());
        Assert.DoesNotContain(Sink.To(seller), m => m.Subject!.StartsWith("Back on sale", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFileAttachedAfterTheRefund_Stays_WhenTheRefundIsDeliveredAgain()
    {
        var (sellerId, seller, ticketId, orderId) = await SoldWithFileAsync("Second try");
        await RefundAsync(orderId, RefundedTicket.Relist);
        await Sink.WaitForAsync(m => m.Recipient() == seller && m.Subject == "Back on sale: Second try");
        await App.Services.WaitForOutboxToSettleAsync();

        await using (var scope = App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TicketFiles>().AttachAsync(new Actor(sellerId), ticketId, "reissued.pdf", SampleTicketFiles.Pdf());
        }

        // The outbox delivers at least once: the same refund handled again leaves the fresh file be.
        await using (var db = App.Services.OpenDb())
        {
            var refunded = await db.OutboxMessages.Where(m => m.AggregateId == orderId && m.Type.Contains("OrderRefunded")).Select(m => m.Id).SingleAsync();
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM outbox_deliveries WHERE MessageId = {refunded}");
            await db.OutboxMessages.Where(m => m.Id == refunded).ExecuteUpdateAsync(m => m.SetProperty(x => x.ProcessedAt, (DateTimeOffset?)null));
        }

        App.Services.GetRequiredService<OutboxSignal>().Notify();

        await App.Services.WaitForOutboxToSettleAsync();
        Assert.Equal("reissued.pdf", (await DescribeAsync(sellerId, ticketId))?.FileName);
        Assert.Equal(1, await StoredFilesAsync());
        Assert.Single(Sink.To(seller), m => m.Subject == "Back on sale: Second try");
    }

    private async Task<(Guid SellerId, string Seller, Guid TicketId, Guid OrderId)> SoldWithFileAsync(string title)
    {
        var (sellerId, seller) = await App.NewUserAsync("seller");
        var (buyerId, _) = await App.NewUserAsync("buyer");
        var ticket = await App.Services.ListTicketAsync(sellerId, 60m, title);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TicketFiles>().AttachAsync(new Actor(sellerId), ticket.Id, "ticket.pdf", SampleTicketFiles.Pdf());
        }

        var order = await App.Services.ReserveAsync(buyerId, ticket.Id);
        await App.Services.PayAsync(buyerId, order.Id, "tok_visa");
        return (sellerId, seller, ticket.Id, order.Id);
    }

    private async Task RefundAsync(Guid orderId, RefundedTicket ticket)
    {
        Guid adminId;
        await using (var db = App.Services.OpenDb())
        {
            adminId = (await db.Users.AsNoTracking().SingleAsync(u => u.Email == TicketingApp.AdminEmail)).Id;
        }

        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<OrderRefunds>().RefundAsync(new Actor(adminId, IsAdmin: true), orderId, "Event moved", ticket);
    }

    private async Task<TicketFileView?> DescribeAsync(Guid sellerId, Guid ticketId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TicketFiles>().DescribeAsync(new Actor(sellerId), ticketId);
    }

    private async Task<int> StoredFilesAsync()
    {
        await using var db = App.Services.OpenDb();
        return await db.Set<StoredTicketFile>().CountAsync();
    }
}
