using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Ticketing.Infrastructure.Email;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Testing;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Infrastructure.Tests.Email;

/// <summary>
/// Who gets which e-mail, and what it says, as received by a real SMTP server: the buyer at each
/// step of the order, the seller on a sale, a new user on sign-up.
/// </summary>
public sealed class OrderEmailTests : IAsyncLifetime
{
    private SmtpSink _sink = null!;
    private TicketingApp _app = null!;

    public async Task InitializeAsync()
    {
        _sink = await SmtpSink.StartAsync();
        _app = Mailboxes.AppSendingTo(_sink, new Dictionary<string, string?> { ["Ordering:ReservationSeconds"] = "3" });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task SignUp_SendsTheNewUserAWelcome()
    {
        var (_, email) = await _app.NewUserAsync("newcomer");

        var welcome = Assert.Single(await _sink.WaitForAsync(m => m.Recipient() == email));

        Assert.Equal("Welcome to Ticketing", welcome.Subject);
        Assert.Contains(email, welcome.Text());
        Assert.Equal("no-reply@ticketing.test", welcome.From.Mailboxes.Single().Address);
    }

    [Fact]
    public async Task Reserve_EmailsTheBuyerTheTicketPriceAndDeadline()
    {
        var (sellerId, _) = await _app.NewUserAsync("seller");
        var (buyerId, buyer) = await _app.NewUserAsync("buyer");
        var ticket = await _app.Services.ListTicketAsync(sellerId, 1250m, "Arctic Monkeys, floor");

        var order = await _app.Services.ReserveAsync(buyerId, ticket.Id);

        var email = Assert.Single(await _sink.WaitForAsync(m => m.Recipient() == buyer && m.Subject!.StartsWith("Reserved", StringComparison.Ordinal)));
        Assert.Equal("Reserved: Arctic Monkeys, floor", email.Subject);
        Assert.Contains("$1,250.00", email.Text());
        Assert.Contains(order.Id.ToString(), email.Text());
        Assert.Contains(EmailLayout.FormatInstant(order.ExpiresAt), email.Text());
        Assert.Contains(EmailLayout.FormatInstant(order.ExpiresAt), email.Html());
    }

    [Fact]
    public async Task Pay_SendsTheBuyerAReceipt_AndTheSellerASaleNotice()
    {
        var (sellerId, seller) = await _app.NewUserAsync("seller");
        var (buyerId, buyer) = await _app.NewUserAsync("buyer");
        var ticket = await _app.Services.ListTicketAsync(sellerId, 40m, "Jazz night");
        var order = await _app.Services.ReserveAsync(buyerId, ticket.Id);

        await _app.Services.PayAsync(buyerId, order.Id, "tok_visa");

        var receipt = Assert.Single(await _sink.WaitForAsync(m => m.Recipient() == buyer && m.Subject == "Receipt: Jazz night"));
        Assert.Contains("$40.00", receipt.Text());
        Assert.Contains(order.Id.ToString(), receipt.Text());
        Assert.Contains("Jazz night", receipt.Html());
        var sold = Assert.Single(await _sink.WaitForAsync(m => m.Recipient() == seller && m.Subject == "Sold: Jazz night"));
        Assert.Contains("$40.00", sold.Text());
        Assert.Contains(order.Id.ToString(), sold.Text());

        // Sold without a file: the seller is told to attach it, by the deadline the buyer was given.
        DateTimeOffset? deadline;
        await using (var db = _app.Services.OpenDb())
        {
            deadline = await db.Set<Ticketing.Domain.Delivery.ETicket>().Where(t => t.OrderId == order.Id).Select(t => t.SellerSendsBy).SingleAsync();
        }

        Assert.NotNull(deadline);
        Assert.Contains($"attach it under My listings by {EmailLayout.FormatInstant(deadline.Value)}", sold.Text());

        // The seller hears of the sale, not of the buyer's reservation.
        Assert.DoesNotContain(_sink.To(seller), m => m.Subject!.StartsWith("Reserved", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASaleWithTheFileAttached_AsksTheSellerForNothingMore()
    {
        var (sellerId, seller) = await _app.NewUserAsync("seller");
        var (buyerId, _) = await _app.NewUserAsync("buyer");
        var ticket = await _app.Services.ListTicketAsync(sellerId, 55m, "Opera box");
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Ticketing.Infrastructure.Delivery.TicketFiles>().AttachAsync(new Actor(sellerId), ticket.Id, "box.pdf", SampleTicketFiles.Pdf());
        }

        var order = await _app.Services.ReserveAsync(buyerId, ticket.Id);
        await _app.Services.PayAsync(buyerId, order.Id, "tok_visa");

        var sold = Assert.Single(await _sink.WaitForAsync(m => m.Recipient() == seller && m.Subject == "Sold: Opera box"));
        Assert.Contains("$55.00", sold.Text());
        Assert.DoesNotContain("attach", sold.Text(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Expiry_TellsTheBuyerTheReservationEndedUnpaid()
    {
        var (sellerId, _) = await _app.NewUserAsync("seller");
        var (buyerId, buyer) = await _app.NewUserAsync("buyer");
        var ticket = await _app.Services.ListTicketAsync(sellerId, 15m, "Late show");
        var order = await _app.Services.ReserveAsync(buyerId, ticket.Id);

        var expired = Assert.Single(await _sink.WaitForAsync(m => m.Recipient() == buyer && m.Subject == "Reservation expired: Late show", timeout: TimeSpan.FromSeconds(40)));

        Assert.Contains("Not paid in time", expired.Text());
        Assert.Contains(order.Id.ToString(), expired.Text());
        Assert.Contains("Nothing was charged", expired.Text());
    }

    [Theory]
    [InlineData(false, "Cancelled by you")]
    [InlineData(true, "Cancelled by an administrator")]
    public async Task Cancel_TellsTheBuyerWhoCancelled(bool byAdmin, string reason)
    {
        var (sellerId, _) = await _app.NewUserAsync("seller");
        var (buyerId, buyer) = await _app.NewUserAsync("buyer");
        var ticket = await _app.Services.ListTicketAsync(sellerId, 15m, "Matinee");
        var order = await _app.Services.ReserveAsync(buyerId, ticket.Id);

        if (byAdmin)
        {
            using var admin = await _app.SignInAdminAsync();
            var response = await admin.DeleteAsync($"/api/orders/{order.Id}");
            Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
        }
        else
        {
            await _app.Services.CancelAsync(buyerId, order.Id);
        }

        var cancelled = Assert.Single(await _sink.WaitForAsync(m => m.Recipient() == buyer && m.Subject == "Order cancelled: Matinee"));
        Assert.Contains(reason, cancelled.Text());
        Assert.Contains(order.Id.ToString(), cancelled.Text());
    }

    [Fact]
    public async Task Refund_TellsTheBuyerTheAmountAndTheAdminsReason()
    {
        var (sellerId, _) = await _app.NewUserAsync("seller");
        var (buyerId, buyer) = await _app.NewUserAsync("buyer");
        var ticket = await _app.Services.ListTicketAsync(sellerId, 75m, "Cup final");
        var order = await _app.Services.ReserveAsync(buyerId, ticket.Id);
        await _app.Services.PayAsync(buyerId, order.Id, "tok_visa");
        Guid adminId;
        await using (var db = _app.Services.OpenDb())
        {
            adminId = (await db.Users.AsNoTracking().SingleAsync(u => u.Email == TicketingApp.AdminEmail)).Id;
        }

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<OrderRefunds>()
                .RefundAsync(new Actor(adminId, IsAdmin: true), order.Id, "Match moved behind closed doors", RefundedTicket.Withdraw);
        }

        var refund = Assert.Single(await _sink.WaitForAsync(m => m.Recipient() == buyer && m.Subject == "Refund: Cup final"));
        Assert.Contains("$75.00", refund.Text());
        Assert.Contains("Match moved behind closed doors", refund.Text());
        Assert.Contains(order.Id.ToString(), refund.Text());

        // One e-mail for the refund: the money the provider then returned is not told twice.
        await _app.Services.WaitForOutboxToSettleAsync();
        Assert.Single(_sink.To(buyer), m => m.Subject!.StartsWith("Refund", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Html_EncodesWhatUsersTyped_AndLoadsNothingFromTheNetwork()
    {
        var (sellerId, _) = await _app.NewUserAsync("seller");
        var (buyerId, buyer) = await _app.NewUserAsync("buyer");
        var ticket = await _app.Services.ListTicketAsync(sellerId, 10m, "<script>alert(1)</script> & <b>VIP</b>");

        await _app.Services.ReserveAsync(buyerId, ticket.Id);

        var email = Assert.Single(await _sink.WaitForAsync(m => m.Recipient() == buyer && m.Subject!.StartsWith("Reserved", StringComparison.Ordinal)));
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;VIP&lt;/b&gt;", email.Html());
        Assert.DoesNotContain("<script>", email.Html());
        Assert.DoesNotContain("<img", email.Html(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", email.Html(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", email.Html(), StringComparison.OrdinalIgnoreCase);

        // Plain text plus HTML, as two alternatives of one message.
        Assert.IsType<MultipartAlternative>(email.Body);
        Assert.Contains("<script>alert(1)</script>", email.Text());
    }

    [Fact]
    public async Task EverySentEmail_IsRecordedSent_WithTheMessageIdTheServerReceived()
    {
        var (sellerId, _) = await _app.NewUserAsync("seller");
        var (buyerId, buyer) = await _app.NewUserAsync("buyer");
        var ticket = await _app.Services.ListTicketAsync(sellerId, 10m, "Records");
        await _app.Services.ReserveAsync(buyerId, ticket.Id);
        await _sink.WaitForAsync(m => m.Recipient() == buyer, count: 2);

        await TicketingApp.WaitUntilAsync(
            async () =>
            {
                await using var fresh = _app.Services.OpenDb();
                return await fresh.Set<EmailMessage>().Where(m => m.Recipient == buyer).AllAsync(m => m.SentAt != null);
            },
            TimeSpan.FromSeconds(30),
            "both e-mails are recorded sent");

        await using var db = _app.Services.OpenDb();
        var records = await db.Set<EmailMessage>().AsNoTracking().Where(m => m.Recipient == buyer).ToListAsync();
        Assert.Equal(2, records.Count);
        Assert.Equal(
            records.Select(r => r.MessageId).Order(),
            _sink.To(buyer).Select(m => m.MessageId).Order());
    }
}
