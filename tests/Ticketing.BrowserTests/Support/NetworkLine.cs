using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Ticketing.BrowserTests.Support;

/// <summary>
/// A browser's line to the app: a TCP relay on a port of its own that a test can cut, as a lost
/// network, a train's tunnel or a laptop's lid would. Cutting resets every connection through it and
/// refuses new ones, so the page's reconnection attempts fail until the line is restored. The app
/// sees its circuits' connections drop; nothing in the app knows about the relay.
/// </summary>
public sealed class NetworkLine : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _app;
    private readonly ConcurrentDictionary<Connection, byte> _open = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _accepting;
    private volatile bool _cut;

    public NetworkLine(Uri app)
    {
        _app = app;
        _listener.Start();
        Address = new UriBuilder(app) { Port = ((IPEndPoint)_listener.LocalEndpoint).Port }.Uri;
        _accepting = AcceptAsync();
    }

    /// <summary>The app's address through this line: same host (so the same cookies), another port.</summary>
    public Uri Address { get; }

    /// <summary>How many connections are open through the line.</summary>
    public int OpenConnections => _open.Count;

    /// <summary>Resets every open connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _cut = true;
        foreach (var connection in _open.Keys)
        {
            connection.Reset();
        }
    }

    public void Restore() => _cut = false;

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _closing.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket browser;
            try
            {
                browser = await _listener.AcceptSocketAsync(_closing.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_cut)
            {
                Connection.Reset(browser);
                continue;
            }

            _ = RelayAsync(browser);
        }
    }

    private async Task RelayAsync(Socket browser)
    {
        var app = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await app.ConnectAsync(_app.Host, _app.Port, _closing.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException)
        {
            Connection.Reset(browser);
            app.Dispose();
            return;
        }

        var connection = new Connection(browser, app);
        _open[connection] = 0;
        if (_cut)
        {
            connection.Reset(); // cut while this one was being connected
        }

        try
        {
            await Task.WhenAny(PumpAsync(browser, app), PumpAsync(app, browser));
        }
        finally
        {
            connection.Reset();
            _open.TryRemove(connection, out _);
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The other side went, or the line was cut.
        }
    }

    private sealed class Connection(Socket browser, Socket app)
    {
        private int _reset;

        public void Reset()
        {
            if (Interlocked.Exchange(ref _reset, 1) == 0)
            {
                Reset(browser);
                Reset(app);
            }
        }

        /// <summary>Closes with a reset (RST), as a dropped line looks to both ends, not a polite FIN.</summary>
        public static void Reset(Socket socket)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Already gone.
            }

            socket.Dispose();
        }
    }
}
