using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Ticketing.Testing;

/// <summary>
/// A real SMTP server (the SmtpServer package) on a loopback port in the test process: it speaks
/// SMTP to the app's MailKit client and keeps every message it accepts. It can be stopped (an
/// outage: the port refuses connections) and started again on the same port, and it outlives the
/// app processes that a test kills.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> _received = new();
    private readonly string? _userName;
    private readonly string? _password;
    private CancellationTokenSource? _running;
    private SmtpServer.SmtpServer? _server;
    private Task? _serving;
    private int _deferred;

    private SmtpSink(int port, string? userName, string? password)
    {
        Port = port;
        _userName = userName;
        _password = password;
    }

    public int Port { get; }

    public bool IsRunning => _server is not null;

    /// <summary>Recipients the server refuses for good (550), as a real server refuses an unknown mailbox.</summary>
    public ConcurrentDictionary<string, bool> RefusedRecipients { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>While set, every message is answered 451 (try again later) after its data arrives.</summary>
    public bool DeferMessages { get; set; }

    /// <summary>How many messages were answered 451.</summary>
    public int Deferred => _deferred;

    /// <summary>Every message accepted so far, in the order accepted.</summary>
    public IReadOnlyList<MimeMessage> Messages => [.. _received];

    /// <summary>The app's settings for sending here (plain SMTP on loopback; with credentials when the sink requires them).</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:Smtp:Security"] = "None",
        ["Email:Smtp:UserName"] = _userName,
        ["Email:Smtp:Password"] = _password,
        ["Email:Smtp:From"] = "Ticketing <no-reply@ticketing.test>",
    };

    /// <summary>The same settings as environment variables for an app process.</summary>
    public Dictionary<string, string> Environment => Settings
        .Where(s => s.Value is not null)
        .ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);

    /// <param name="requireAuthentication">Requires AUTH with these credentials before any mail.</param>
    public static async Task<SmtpSink> StartAsync(int? port = null, (string UserName, string Password)? requireAuthentication = null)
    {
        var sink = new SmtpSink(port ?? FreePort(), requireAuthentication?.UserName, requireAuthentication?.Password);
        await sink.StartAgainAsync();
        return sink;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Listens (again) on <see cref="Port"/>.</summary>
    public async Task StartAgainAsync()
    {
        if (_server is not null)
        {
            return;
        }

        var options = new SmtpServerOptionsBuilder()
            .ServerName("sink.ticketing.test")
            .Endpoint(e => e
                .Endpoint(new IPEndPoint(IPAddress.Loopback, Port))
                .AuthenticationRequired(_userName is not null)
                .AllowUnsecureAuthentication(true))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new RecipientFilter(this));
        services.Add(new Credentials(_userName, _password));

        _running = new CancellationTokenSource();
        _server = new SmtpServer.SmtpServer(options, services);
        _serving = _server.StartAsync(_running.Token);

        // Listening once a connection is accepted.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }

    /// <summary>An outage: the server stops and the port refuses connections until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_server is null)
        {
            return;
        }

        await _running!.CancelAsync();
        _server.Shutdown();
        try
        {
            await _serving!.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _running.Dispose();
        (_server, _serving, _running) = (null, null, null);
    }

    /// <summary>The messages to <paramref name="recipient"/>.</summary>
    public IReadOnlyList<MimeMessage> To(string recipient) =>
        Messages.Where(m => m.To.Mailboxes.Any(a => a.Address.Equals(recipient, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>Waits until <paramref name="count"/> messages match, and returns them.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(Func<MimeMessage, bool> match, int count = 1, TimeSpan? timeout = null)
    {
        await TicketingApp.WaitUntilAsync(
            () => Task.FromResult(Messages.Count(match) >= count),
            timeout ?? TimeSpan.FromSeconds(20),
            $"the SMTP server received {count} matching e-mail(s) (it has {Messages.Count} in all)");
        return Messages.Where(match).ToList();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (sink.DeferMessages)
            {
                Interlocked.Increment(ref sink._deferred);
                return Task.FromResult(new SmtpResponse(SmtpReplyCode.Aborted, "Try again later"));
            }

            using var stream = new MemoryStream(buffer.ToArray());
            sink._received.Enqueue(MimeMessage.Load(stream, cancellationToken));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }

    private sealed class RecipientFilter(SmtpSink sink) : MailboxFilter
    {
        public override Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(!sink.RefusedRecipients.ContainsKey($"{to.User}@{to.Host}"));
    }

    private sealed class Credentials(string? userName, string? password) : IUserAuthenticator
    {
        public Task<bool> AuthenticateAsync(ISessionContext context, string user, string password1, CancellationToken cancellationToken) =>
            Task.FromResult(userName is not null && user == userName && password1 == password);
    }
}
