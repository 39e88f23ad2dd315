using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Infrastructure.Email;
using Ticketing.ReliabilityTests.Support;
using Ticketing.Testing;
using Xunit.Abstractions;

namespace Ticketing.ReliabilityTests;

/// <summary>
/// The app is SIGKILLed after orders were committed and before their e-mails were sent (the mail
/// server, a real SMTP server in the test process, is down meanwhile): some e-mails are queued,
/// some events not even dispatched yet. After each restart every e-mail arrives, exactly once.
/// </summary>
public sealed class EmailCrashTests(ITestOutputHelper output)
{
    private const int Rounds = 3;
    private const int OrdersPerRound = 8;

    [Fact]
    public async Task KilledBetweenCommitAndSend_EveryEmailArrivesOnceAfterTheRestart()
    {
        var databasePath = TicketingApp.NewDatabasePath();
        await using var sink = await SmtpSink.StartAsync();
        // A batch the killed sender had claimed stays its own for the claim's length, max(60 s, 4 × the
        // SMTP timeout): 120 s at the default 30 s timeout, longer than the wait below. A kill that
        // lands between the claim and the refused connection (the server is down) leaves exactly that.
        var settings = new Dictionary<string, string>(sink.Environment)
        {
            ["Email__MaxRetryDelaySeconds"] = "1",
            ["Email__Smtp__TimeoutSeconds"] = "5",
        };
        var web = await WebProcess.StartAsync(databasePath, reservationSeconds: 900, settings: settings);
        try
        {
            using var seller = Client(web.BaseAddress);
            using var buyer = Client(web.BaseAddress);
            await SignUpAsync(seller);
            var buyerEmail = await SignUpAsync(buyer);
            await sink.WaitForAsync(m => m.Subject == "Welcome to Ticketing", count: 3);

            var titles = new List<string>();
            for (var round = 1; round <= Rounds; round++)
            {
                // Committed while the mail server is down, then killed at once: no e-mail of this
                // round can have been sent, whatever the dispatcher had done with its events.
                await sink.StopAsync();
                for (var i = 0; i < OrdersPerRound; i++)
                {
                    var title = $"Round {round} seat {i}";
                    var ticketId = await IdOfAsync(await seller.PostAsJsonAsync("/api/tickets", new { title, price = 20 + i }));
                    await IdOfAsync(await buyer.PostAsJsonAsync("/api/orders", new { ticketId }));
                    titles.Add(title);
                }

                web.Kill();
                var queued = await QueuedAsync(databasePath, round);
                output.WriteLine($"round {round}: killed with {queued} of {OrdersPerRound} reservation e-mails queued, the rest not yet dispatched");

                var port = web.Port;
                await web.DisposeAsync();
                await sink.StartAgainAsync();
                web = await WebProcess.StartAsync(databasePath, reservationSeconds: 900, port: port, settings: settings);

                var expected = titles.Select(t => $"Reserved: {t}").ToHashSet();
                try
                {
                    await sink.WaitForAsync(m => expected.Contains(m.Subject!), count: expected.Count, timeout: TimeSpan.FromSeconds(90));
                }
                catch (TimeoutException timedOut)
                {
                    throw new TimeoutException($"{timedOut.Message}{Environment.NewLine}{await MailQueueAsync(databasePath)}{Environment.NewLine}{web.LogTail}", timedOut);
                }

                await TicketingApp.WaitUntilAsync(() => SettledAsync(databasePath), TimeSpan.FromSeconds(60), "the outbox and the mail queue are empty");

                var reserved = sink.Messages.Where(m => m.Subject!.StartsWith("Reserved: Round ", StringComparison.Ordinal)).ToList();
                Assert.Equal(expected.Order(), reserved.Select(m => m.Subject!).Order());
                Assert.All(reserved, m => Assert.Equal(buyerEmail, m.To.Mailboxes.Single().Address));
            }

            Assert.Equal(sink.Messages.Count, sink.Messages.Select(m => m.MessageId).Distinct().Count());
            Assert.Equal(3, sink.Messages.Count(m => m.Subject == "Welcome to Ticketing"));
        }
        finally
        {
            await web.DisposeAsync();
            TicketingApp.DeleteDatabase(databasePath);
        }
    }

    /// <summary>How many of the round's reservation e-mails the killed process had queued.</summary>
    private static async Task<int> QueuedAsync(string databasePath, int round)
    {
        await using var db = Invariants.Open(databasePath);
        var prefix = $"Reserved: Round {round} ";
        return await db.Set<EmailMessage>().CountAsync(m => m.Subject.StartsWith(prefix));
    }

    /// <summary>The e-mails not yet sent and the events not yet handled, for a failure message.</summary>
    private static async Task<string> MailQueueAsync(string databasePath)
    {
        await using var db = Invariants.Open(databasePath);
        var unsent = await db.Set<EmailMessage>().AsNoTracking().Where(m => m.DueAt != null).ToListAsync();
        var events = await db.OutboxMessages.AsNoTracking().Where(m => m.ProcessedAt == null).ToListAsync();
        return string.Join(
            Environment.NewLine,
            unsent.Select(m => $"unsent '{m.Subject}': due {m.DueAt:HH:mm:ss}, {m.Attempts} tries, claimed by {m.LockedBy ?? "nobody"} until {m.LockedUntil:HH:mm:ss}, last error {m.LastError ?? "none"}")
                .Concat(events.Select(m => $"unhandled {m.Type} #{m.Id}: {m.Attempts} tries, claimed by {m.LockedBy ?? "nobody"} until {m.LockedUntil:HH:mm:ss}"))
                .Prepend($"at {DateTimeOffset.UtcNow:HH:mm:ss}:"));
    }

    private static async Task<bool> SettledAsync(string databasePath)
    {
        await using var db = Invariants.Open(databasePath);
        return !await db.OutboxMessages.AnyAsync(m => m.ProcessedAt == null) && !await db.Set<EmailMessage>().AnyAsync(m => m.DueAt != null);
    }

    private static HttpClient Client(Uri baseAddress) =>
        new(new SocketsHttpHandler { UseCookies = true, CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    private static async Task<string> SignUpAsync(HttpClient client)
    {
        var email = $"mail-crash-{Guid.NewGuid():N}@example.com";
        (await client.PostAsJsonAsync("/api/users/signup", new { email, password = "correct-horse-battery" })).EnsureSuccessStatusCode();
        return email;
    }

    private static async Task<Guid> IdOfAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
