using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Identity;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Testing;
using Ticketing.Infrastructure.Identity;

using Ticketing.Web.Tests.Api.Delivery;

namespace Ticketing.Web.Tests.Api.Users;

/// <summary>
/// A deleted account leaves nothing that names it: neither its id nor its email is found in any
/// column of any table (tables added later included), while every order, sale and payment it took
/// part in is still there and still adds up.
/// </summary>
public sealed class DeletedAccountErasureTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Password = "correct-horse-battery";

    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task DeletedAccount_IsInNoTable_AndItsOrdersSalesAndPaymentsStayConsistent()
    {
        // '+' is escaped in stored JSON (\u002B): the scan looks for both spellings.
        var email = $"Ada+Tickets-{Guid.NewGuid():N}@Example.com";
        var (_, adaId, _) = await _app.SignUpAsync(email, Password);
        var (seller, _, _) = await _app.SignUpAsync();
        var (buyer, buyerId, _) = await _app.SignUpAsync();
        var (key, _) = await _app.TurnOnTwoFactorAsync(adaId);

        // Turning two-factor on signed her first cookie out (a new security stamp): she signs in with her code.
        var ada = _app.CreateUserClient();
        await ada.PostAsJsonAsync("/api/users/signin", new { email, password = Password });
        Assert.Equal(HttpStatusCode.OK, (await ada.PostAsJsonAsync("/api/users/signin", new { email, password = Password, code = Totp.Code(key) })).StatusCode);

        // Ada sells: one listing still on sale, one sold, one withdrawn.
        var onSale = await ada.ListTicketAsync("Ada's spare seat");
        var soldByAda = await ada.ListTicketAsync("Ada's sold seat", 30m);
        var withdrawn = await ada.ListTicketAsync("Ada's withdrawn seat");
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TicketListings>().WithdrawAsync(new Actor(adaId), withdrawn.Id);
        }

        await ada.AttachAsync(soldByAda.Id, SampleTicketFiles.Pdf("Admit one: Ada's sold seat"));
        await ada.AttachAsync(onSale.Id, SampleTicketFiles.Pdf("Admit one: Ada's spare seat"));
        var boughtFromAda = await buyer.ReserveAsync(soldByAda.Id);
        await buyer.PayAsync(boughtFromAda.Id);

        // Ada buys: one paid, one cancelled, one still reserved.
        var paidByAda = await ada.ReserveAsync((await seller.ListTicketAsync("Paid by Ada", 12.5m)).Id);
        await ada.PayAsync(paidByAda.Id);
        var cancelledByAda = await ada.ReserveAsync((await seller.ListTicketAsync("Cancelled by Ada")).Id);
        Assert.Equal(HttpStatusCode.NoContent, (await ada.DeleteAsync($"/api/orders/{cancelledByAda.Id}")).StatusCode);
        var liveTicket = await seller.ListTicketAsync("Held by Ada");
        var liveOrder = await ada.ReserveAsync(liveTicket.Id);

        // A failed sign-in from her address leaves a lockout count.
        using (var typo = _app.CreateUserClient())
        {
            await typo.PostAsJsonAsync("/api/users/signin", new { email, password = "wrong-password" });
        }

        await using (var db = _app.CreateDbContext())
        {
            Assert.True(await db.UserTokens.AnyAsync(t => t.UserId == adaId));
            Assert.True(await db.Set<Ticketing.Infrastructure.Identity.SignInLockout>().AnyAsync(l => l.UserId == adaId));
        }

        // The e-mails of her last steps are queued by outbox handlers after those steps commit. A
        // handler that read her address just before the deletion could queue its e-mail just after
        // it, and the next delivery pass deletes that one (decision 20, "In flight"). The scan below
        // runs at once, so here every step's e-mail is queued before she deletes.
        await TicketingApp.WaitUntilAsync(
            async () =>
            {
                await using var db = _app.CreateDbContext();
                return !await db.OutboxMessages.AnyAsync(m => m.ProcessedAt == null);
            },
            TimeSpan.FromSeconds(30),
            "every event of her last steps is handled");

        var before = await BooksAsync();
        var needles = Needles(adaId, email);
        Assert.NotEmpty(await DatabaseScan.FindAsync(_app.DatabasePath, needles));

        Assert.Equal(HttpStatusCode.NoContent, (await ada.DeleteAccountAsync(Password)).StatusCode);

        var mentions = await DatabaseScan.FindAsync(_app.DatabasePath, needles);
        Assert.True(mentions.Count == 0, "Still found: " + string.Join(", ", mentions.Select(m => $"{m.Table}.{m.Column} ({m.Rows}× '{m.Needle}')")));

        // The books: the same orders and payments, each with the same amount and outcome.
        var after = await BooksAsync();
        Assert.Equal(before.Payments, after.Payments);
        Assert.Equal(before.Orders.Keys.Order(), after.Orders.Keys.Order());
        await using var check = _app.CreateDbContext();
        var orders = await check.Orders.AsNoTracking().ToDictionaryAsync(o => o.Id);
        Assert.Equal((OrderStatus.Complete, DeletedAccount.Id), (orders[paidByAda.Id].Status, orders[paidByAda.Id].BuyerId));
        Assert.Equal((OrderStatus.Cancelled, DeletedAccount.Id), (orders[cancelledByAda.Id].Status, orders[cancelledByAda.Id].BuyerId));
        Assert.Equal((OrderStatus.Cancelled, CancellationReason.User), (orders[liveOrder.Id].Status, orders[liveOrder.Id].CancellationReason));
        Assert.Equal((OrderStatus.Complete, buyerId), (orders[boughtFromAda.Id].Status, orders[boughtFromAda.Id].BuyerId));

        var tickets = await check.Tickets.AsNoTracking().ToDictionaryAsync(t => t.Id);
        Assert.Equal((TicketStatus.Sold, boughtFromAda.Id, DeletedAccount.Id), (tickets[soldByAda.Id].Status, tickets[soldByAda.Id].OrderId, tickets[soldByAda.Id].SellerId));
        Assert.Equal((TicketStatus.Sold, paidByAda.Id), (tickets[orders[paidByAda.Id].TicketId].Status, tickets[orders[paidByAda.Id].TicketId].OrderId));
        Assert.Equal((TicketStatus.Available, (Guid?)null), (tickets[liveTicket.Id].Status, tickets[liveTicket.Id].OrderId));
        Assert.True(tickets[onSale.Id].IsWithdrawn);
        Assert.All(
            await check.Payments.AsNoTracking().Where(p => p.Status == PaymentStatus.Succeeded).ToListAsync(),
            p => Assert.Equal(OrderStatus.Complete, orders[p.OrderId].Status));

        // Everyone else is untouched.
        Assert.Equal([boughtFromAda.Id], orders.Values.Where(o => o.BuyerId == buyerId).Select(o => o.Id));
        Assert.Equal(3, tickets.Values.Count(t => t.SellerId != DeletedAccount.Id && !t.IsWithdrawn));
    }

    private static string[] Needles(Guid id, string email) =>
        [id.ToString("D"), id.ToString("N"), email, JsonSerializer.Serialize(email)[1..^1], email.Split('@')[0]];

    private async Task<(Dictionary<Guid, (OrderStatus, decimal)> Orders, List<(Guid, long, PaymentStatus)> Payments)> BooksAsync()
    {
        await using var db = _app.CreateDbContext();
        var orders = await db.Orders.AsNoTracking().ToDictionaryAsync(o => o.Id, o => (o.Status, o.Price));
        var payments = (await db.Payments.AsNoTracking().ToListAsync()).Select(p => (p.OrderId, p.AmountMinor, p.Status)).OrderBy(p => p.OrderId).ToList();
        return (orders, payments);
    }
}
