using System.Net;
using System.Net.Sockets;
using System.Text;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Hosting;

/// <summary>Pages answer HEAD as they answer GET, without a body, on a real Kestrel port.</summary>
public sealed class HeadRequestTests : IAsyncLifetime
{
    private readonly TicketingApp _app = new(kestrel: true);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/", HttpStatusCode.OK)]
    [InlineData("/account/login", HttpStatusCode.OK)]
    [InlineData("/tickets/new", HttpStatusCode.Found)]
    [InlineData("/no-such-page", HttpStatusCode.NotFound)]
    public async Task Head_AnswersAsGetWould_WithoutABody(string path, HttpStatusCode expected)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _app.BaseAddress };

        using var get = await client.GetAsync(path);
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(expected, get.StatusCode);
        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Equal(get.Headers.Location, head.Headers.Location);
    }

    /// <summary>What goes over the wire: headers only, then the connection serves the next request.</summary>
    [Fact]
    public async Task Head_OfTheHomePage_SendsNoBody_AndTheConnectionGoesOn()
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(_app.BaseAddress.Host, _app.BaseAddress.Port);
        await using var stream = socket.GetStream();
        var host = $"{_app.BaseAddress.Host}:{_app.BaseAddress.Port}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HEAD / HTTP/1.1\r\nHost: {host}\r\n\r\nGET /health/live HTTP/1.1\r\nHost: {host}\r\n\r\n"));

        var received = new StringBuilder();
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!received.ToString().Contains("Healthy", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, $"the connection closed after: {received}");
            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        var text = received.ToString();
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", text, StringComparison.Ordinal);
        var second = text.IndexOf("HTTP/1.1 200 OK\r\n", 1, StringComparison.Ordinal);
        Assert.True(second > 0, text);
        Assert.DoesNotContain("<html", text[..second], StringComparison.OrdinalIgnoreCase);
    }
}
