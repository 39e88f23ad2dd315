using System.Collections.Concurrent;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests.Support;

/// <summary>
/// Watches a page's Blazor circuit connection (the WebSocket to <c>/_blazor</c>): whether it ever
/// closed, and the size of every message the browser sent on it, the first of them the one that
/// starts the circuit.
/// </summary>
public sealed class CircuitWatch
{
    private readonly ConcurrentQueue<int> _sent = new();
    private volatile bool _opened;
    private volatile bool _closed;

    private CircuitWatch()
    {
    }

    /// <summary>Sizes in bytes of the messages the browser sent on the circuit, in order.</summary>
    public IReadOnlyList<int> Sent => [.. _sent];

    /// <summary>Starts watching; call before the page navigates.</summary>
    public static CircuitWatch On(IPage page)
    {
        var watch = new CircuitWatch();
        page.WebSocket += (_, socket) =>
        {
            if (!socket.Url.Contains("/_blazor", StringComparison.Ordinal))
            {
                return;
            }

            watch._opened = true;
            socket.FrameSent += (_, frame) => watch._sent.Enqueue(frame.Binary?.Length ?? System.Text.Encoding.UTF8.GetByteCount(frame.Text ?? string.Empty));
            socket.Close += (_, _) => watch._closed = true;
        };
        return watch;
    }

    /// <summary>Keeps the page open for <paramref name="duration"/>, then checks the circuit is still up and interactive.</summary>
    public async Task StaysUpAsync(IPage page, TimeSpan duration)
    {
        Assert.True(_opened, "The page opened its circuit connection.");
        await Task.Delay(duration);
        AssertNeverDropped();
        await Expect(page.Locator(".app-shell[data-interactive=true]")).ToBeVisibleAsync();
        await Expect(page.Locator("#components-reconnect-modal")).Not.ToBeVisibleAsync();
    }

    /// <summary>Waits until the page's circuit connection has closed (the browser saw it drop).</summary>
    public async Task DroppedAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_closed)
        {
            Assert.True(DateTime.UtcNow < deadline, "The circuit connection never closed.");
            await Task.Delay(50);
        }
    }

    public void AssertNeverDropped() => Assert.False(_closed, "The circuit connection closed.");
}
