using Microsoft.EntityFrameworkCore;
using MimeKit;
using Ticketing.Infrastructure.Email;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Email;

/// <summary>What the delivery does with each answer a mail server can give, and without a mail server.</summary>
public sealed class EmailDeliveryTests
{
    private static readonly Dictionary<string, string?> QuickRetries = new() { ["Email:MaxRetryDelaySeconds"] = "1" };

    [Fact]
    public async Task RecipientRefusedForGood_IsGivenUpAndRecorded_WhileTheOthersGo()
    {
        await using var sink = await SmtpSink.StartAsync();
        var refused = $"nobody-{Guid.NewGuid():N}@example.com";
        sink.RefusedRecipients[refused] = true;
        await using var app = Mailboxes.AppSendingTo(sink);

        await app.SignUpAsync(refused);
        var (_, welcomed) = await app.NewUserAsync("somebody");

        await sink.WaitForAsync(m => m.Recipient() == welcomed);
        var record = await WaitForRecordAsync(app, refused, m => m.FailedAt != null);
        Assert.Null(record.SentAt);
        Assert.Null(record.DueAt);
        Assert.StartsWith("550", record.LastError);
        Assert.Empty(sink.To(refused));
    }

    [Fact]
    public async Task MessageTheServerDefers_IsTriedAgainLater_AndSentOnce()
    {
        await using var sink = await SmtpSink.StartAsync();
        sink.DeferMessages = true;
        await using var app = Mailboxes.AppSendingTo(sink, QuickRetries);

        var (_, email) = await app.NewUserAsync("deferred");
        var deferred = await WaitForRecordAsync(app, email, m => m.Attempts >= 2);
        Assert.StartsWith("451", deferred.LastError);
        Assert.NotNull(deferred.DueAt);
        sink.DeferMessages = false;

        await sink.WaitForAsync(m => m.Recipient() == email);
        var sent = await WaitForRecordAsync(app, email, m => m.SentAt != null);
        Assert.True(sink.Deferred >= 2, $"the server deferred {sink.Deferred} times");
        Assert.Single(sink.To(email));
        Assert.Null(sent.DueAt);
    }

    [Fact]
    public async Task ServerRequiringAuthentication_IsGivenTheConfiguredCredentials()
    {
        await using var sink = await SmtpSink.StartAsync(requireAuthentication: ("mailer", "s3cret-mail"));
        await using var app = Mailboxes.AppSendingTo(sink);

        var (_, email) = await app.NewUserAsync("authenticated");

        Assert.Single(await sink.WaitForAsync(m => m.Recipient() == email));
    }

    [Fact]
    public async Task WrongCredentials_KeepTheEmailQueued_UntilTheServerAcceptsThem()
    {
        await using var sink = await SmtpSink.StartAsync(requireAuthentication: ("mailer", "s3cret-mail"));
        var path = TicketingApp.NewDatabasePath();
        try
        {
            string email;
            var settings = new Dictionary<string, string?>(QuickRetries) { ["Email:Smtp:Password"] = "wrong" };
            await using (var misconfigured = Mailboxes.AppSendingTo(sink, settings, databasePath: path))
            {
                (_, email) = await misconfigured.NewUserAsync("patient");
                await WaitForRecordAsync(misconfigured, email, m => m.DueAt != null);
                await Task.Delay(TimeSpan.FromSeconds(3));
                Assert.Empty(sink.To(email));
                var queued = await WaitForRecordAsync(misconfigured, email, m => m.LockedBy == null);
                Assert.Null(queued.SentAt);
                Assert.Null(queued.FailedAt);
            }

            // Fixed configuration, same database: the e-mail was waiting, not lost.
            await using var fixedApp = Mailboxes.AppSendingTo(sink, QuickRetries, databasePath: path);
            _ = fixedApp.Services;
            Assert.Single(await sink.WaitForAsync(m => m.Recipient() == email));
        }
        finally
        {
            TicketingApp.DeleteDatabase(path);
        }
    }

    [Fact]
    public async Task WithoutAnSmtpHost_EmailsAreWrittenToThePickupFolder()
    {
        await using var app = new TicketingApp();
        var (sellerId, _) = await app.NewUserAsync("seller");
        var (buyerId, buyer) = await app.NewUserAsync("buyer");
        var ticket = await app.Services.ListTicketAsync(sellerId, 12m, "Folk evening");
        await app.Services.ReserveAsync(buyerId, ticket.Id);

        var folder = TicketingApp.MailFolder(app.DatabasePath);
        List<MimeMessage> Written() => Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml").Select(path => MimeMessage.Load(path)).ToList() : [];
        await TicketingApp.WaitUntilAsync(
            () => Task.FromResult(Written().Any(m => m.Subject == "Reserved: Folk evening")),
            TimeSpan.FromSeconds(20),
            "the reservation e-mail is in the pickup folder");

        var messages = Written();
        Assert.Single(messages, m => m.To.Mailboxes.Single().Address == buyer && m.Subject == "Welcome to Ticketing");
        var reserved = Assert.Single(messages, m => m.To.Mailboxes.Single().Address == buyer && m.Subject == "Reserved: Folk evening");
        Assert.Contains("$12.00", reserved.TextBody);
        Assert.Empty(Directory.GetFiles(folder, "*.partial"));
    }

    private static async Task<EmailMessage> WaitForRecordAsync(TicketingApp app, string recipient, Func<EmailMessage, bool> condition)
    {
        EmailMessage? found = null;
        await TicketingApp.WaitUntilAsync(
            async () =>
            {
                await using var db = app.Services.OpenDb();
                found = await db.Set<EmailMessage>().AsNoTracking().FirstOrDefaultAsync(m => m.Recipient == recipient);
                return found is not null && condition(found);
            },
            TimeSpan.FromSeconds(20),
            $"the e-mail to {recipient} reaches the expected state");
        return found!;
    }
}
