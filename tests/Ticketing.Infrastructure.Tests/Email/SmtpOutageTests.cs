using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Ticketing.Infrastructure.Email;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;
using Xunit.Abstractions;

namespace Ticketing.Infrastructure.Tests.Email;

/// <summary>
/// The mail server is down for 30 s: first refusing connections, then (worse) accepting them and
/// never answering. Reservations go on as fast as before, every other outbox handler keeps up,
/// and once the server is back every e-mail arrives, once. The reservations are timed, so the
/// class runs alone in its assembly, and the moments the whole process was paused are taken out.
/// </summary>
[Collection(TimedAlone.Name)]
public sealed class SmtpOutageTests(ITestOutputHelper output)
{
    private const int SmtpTimeoutSeconds = 5;

    [Fact]
    public async Task ServerDownForThirtySeconds_DelaysEmailsButLosesNone_AndSlowsNoReservation()
    {
        using var pauses = ProcessPauses.Watch();
        await using var sink = await SmtpSink.StartAsync();
        await using var app = Mailboxes.AppSendingTo(sink, new Dictionary<string, string?>
        {
            ["Email:MaxRetryDelaySeconds"] = "4",
            ["Email:Smtp:TimeoutSeconds"] = SmtpTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ordering:MaxLiveOrdersPerBuyer"] = "1000",
        });
        var (sellerId, _) = await app.NewUserAsync("seller");
        var (buyerId, buyer) = await app.NewUserAsync("buyer");
        await sink.WaitForAsync(m => m.Recipient() == buyer);

        var before = await ReserveForAsync(app, pauses, sellerId, buyerId, "Before", TimeSpan.FromSeconds(5));
        await sink.WaitForAsync(m => m.Subject!.StartsWith("Reserved: Before ", StringComparison.Ordinal), count: before.Count);

        // Down: 15 s refusing connections, then 15 s of a server that accepts and never greets.
        await sink.StopAsync();
        var outage = Stopwatch.StartNew();
        var during = await ReserveForAsync(app, pauses, sellerId, buyerId, "Refused", TimeSpan.FromSeconds(15));
        await AssertOutboxKeepsUpAsync(app);
        List<(string Title, TimeSpan Took)> silent;
        using (var hanging = SilentServer.Listen(sink.Port))
        {
            silent = await ReserveForAsync(app, pauses, sellerId, buyerId, "Silent", TimeSpan.FromSeconds(15));
            await AssertOutboxKeepsUpAsync(app);
            Assert.True(hanging.Connections > 0, "the app never tried the silent server");
        }

        during.AddRange(silent);
        var downFor = outage.Elapsed;
        Assert.DoesNotContain(sink.Messages, m => m.Subject!.StartsWith("Reserved: Refused ", StringComparison.Ordinal));
        await sink.StartAgainAsync();

        // Back: every e-mail of the outage arrives, once.
        var titles = during.Select(r => $"Reserved: {r.Title}").ToHashSet();
        var arrived = await sink.WaitForAsync(m => titles.Contains(m.Subject!), count: titles.Count, timeout: TimeSpan.FromSeconds(60));
        await TicketingApp.WaitUntilAsync(
            async () =>
            {
                await using var db = app.Services.OpenDb();
                return !await db.Set<EmailMessage>().AnyAsync(m => m.DueAt != null);
            },
            TimeSpan.FromSeconds(30),
            "the queue is empty");
        Assert.Equal(titles.Count, sink.Messages.Count(m => titles.Contains(m.Subject!)));
        Assert.Equal(titles.Order(), arrived.Select(m => m.Subject!).Order());

        var baseline = Median(before);
        var down = Median(during);
        output.WriteLine($"down {downFor.TotalSeconds:0.0} s; reservations before: {before.Count}, median {baseline.TotalMilliseconds:0} ms, max {before.Max(r => r.Took).TotalMilliseconds:0} ms; "
            + $"during: {during.Count}, median {down.TotalMilliseconds:0} ms, max {during.Max(r => r.Took).TotalMilliseconds:0} ms; "
            + $"the process paused {pauses.Within(0, long.MaxValue).TotalMilliseconds:0} ms in all, longest {pauses.Longest.TotalMilliseconds:0} ms");
        Assert.True(downFor >= TimeSpan.FromSeconds(30), $"the server was down {downFor.TotalSeconds:0.0} s");
        Assert.True(during.Count >= 20, $"only {during.Count} reservations during the outage");

        // Nothing a reservation does waits for the mail server: none took as long as one SMTP
        // timeout, and the typical one took about what it did with the server up.
        Assert.All(during, r => Assert.True(r.Took < TimeSpan.FromSeconds(SmtpTimeoutSeconds), $"{r.Title} took {r.Took.TotalMilliseconds:0} ms"));
        Assert.True(down <= (3 * baseline) + TimeSpan.FromMilliseconds(100), $"median {down.TotalMilliseconds:0} ms during the outage against {baseline.TotalMilliseconds:0} ms before");
    }

    /// <summary>
    /// A sender killed while it waits for a hung server must strand no e-mail for the length of a
    /// claim: it claims e-mails only once the server has answered, so while the server is silent
    /// the e-mail stays due and unclaimed, through every try.
    /// </summary>
    [Fact]
    public async Task WhileTheServerDoesNotAnswer_NoEmailIsClaimed()
    {
        await using var sink = await SmtpSink.StartAsync();
        await sink.StopAsync();
        using var hanging = SilentServer.Listen(sink.Port);
        await using var app = Mailboxes.AppSendingTo(sink, new Dictionary<string, string?>
        {
            ["Email:MaxRetryDelaySeconds"] = "1",
            ["Email:Smtp:TimeoutSeconds"] = "2",
        });

        var (_, email) = await app.NewUserAsync("waiting");

        // Over about three tries (2 s timeout, 1 s wait), sampled every 20 ms.
        var watch = Stopwatch.StartNew();
        var samples = 0;
        EmailMessage? row = null;
        while (watch.Elapsed < TimeSpan.FromSeconds(9))
        {
            await using (var db = app.Services.OpenDb())
            {
                row = await db.Set<EmailMessage>().AsNoTracking().SingleOrDefaultAsync(m => m.Recipient == email);
            }

            if (row is not null)
            {
                samples++;
                Assert.True(row.LockedBy is null, $"the e-mail was claimed by {row.LockedBy} until {row.LockedUntil:O} while the server had not answered ({hanging.Connections} connection(s) so far)");
            }

            await Task.Delay(20);
        }

        Assert.True(hanging.Connections >= 2, $"the app tried the silent server {hanging.Connections} time(s)");
        Assert.True(samples > 100, $"the e-mail was seen in {samples} samples");
        Assert.NotNull(row!.DueAt);
        Assert.Null(row.SentAt);
        Assert.Null(row.FailedAt);
        Assert.Equal(0, row.Attempts);
    }

    /// <summary>
    /// Lists and reserves a ticket about every 250 ms for <paramref name="duration"/>; returns how
    /// long each reservation took, less the time the whole process was paused meanwhile.
    /// </summary>
    private static async Task<List<(string Title, TimeSpan Took)>> ReserveForAsync(TicketingApp app, ProcessPauses pauses, Guid sellerId, Guid buyerId, string prefix, TimeSpan duration)
    {
        var results = new List<(string, TimeSpan)>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; clock.Elapsed < duration; i++)
        {
            var title = $"{prefix} {i}";
            var ticket = await app.Services.ListTicketAsync(sellerId, 10m + i, title);
            var started = ProcessPauses.Now;
            await app.Services.ReserveAsync(buyerId, ticket.Id);
            var ended = ProcessPauses.Now;
            results.Add((title, Stopwatch.GetElapsedTime(started, ended) - pauses.Within(started, ended)));
            await Task.Delay(250);
        }

        return results;
    }

    /// <summary>Live pushes, expiry triggers and the other handlers are not held back by e-mail.</summary>
    private static Task AssertOutboxKeepsUpAsync(TicketingApp app) => app.Services.WaitForOutboxToSettleAsync(TimeSpan.FromSeconds(5));

    private static TimeSpan Median(List<(string Title, TimeSpan Took)> results) =>
        results.Select(r => r.Took).Order().ElementAt(results.Count / 2);

    /// <summary>A mail server that accepts connections and then says nothing, the way a hung one does.</summary>
    private sealed class SilentServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly List<TcpClient> _held = [];
        private readonly CancellationTokenSource _stop = new();
        private int _connections;

        private SilentServer(int port)
        {
            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Connections => _connections;

        public static SilentServer Listen(int port) => new(port);

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_held)
            {
                _held.ForEach(c => c.Dispose());
            }
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref _connections);
                    lock (_held)
                    {
                        _held.Add(client);
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
            }
        }
    }
}

/// <summary>Tests that time what the app does, run after the rest of the assembly, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimedAlone
{
    public const string Name = "Timed, alone";
}
