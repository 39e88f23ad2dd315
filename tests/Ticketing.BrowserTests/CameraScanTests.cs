using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Ticketing.BrowserTests.Support;
using Ticketing.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

/// <summary>
/// The door's camera: Chromium films an e-ticket's QR code (a fake camera playing a video of it)
/// and the scan page admits the ticket with no code typed. This Chromium, like Safari on iPhones and
/// Firefox, has no <c>BarcodeDetector</c>, so the frames are read on the server.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CameraScanTests(BrowserFixture browser) : IAsyncLifetime
{
    private const int Width = 640;
    private const int Height = 480;

    private readonly TicketingApp _app = new(kestrel: true, settings: Pages.Settings());
    private readonly string _video = Path.Combine(Path.GetTempPath(), $"ticketing-camera-{Guid.NewGuid():N}.y4m");
    private IBrowser? _camera;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_camera is not null)
        {
            await _camera.DisposeAsync();
        }

        await _app.DisposeAsync();
        File.Delete(_video);
    }

    [Fact]
    public async Task Door_camera_pointed_at_an_e_ticket_admits_it_once()
    {
        var title = "Camera night, row C";
        var orderId = await SoldToAdminAsync(title);
        var code = CameraFrames.InQrCode(await _app.CodeOfAsync(orderId));
        CameraFrames.WriteY4m(_video, CameraFrames.Grey(code, Width, Height, moduleSize: 8), Width, Height);
        _camera = await browser.LaunchWithCameraAsync(_video);
        var context = await _camera.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _app.BaseAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(20_000);
        var door = await context.NewPageAsync();
        await Pages.SignInAsync(door, TicketingApp.AdminEmail, TicketingApp.AdminPassword);
        await Pages.GoToInteractiveAsync(door, "/scan");
        Assert.False(await door.EvaluateAsync<bool>("() => typeof window.BarcodeDetector === 'function'"), "this Chromium reads no QR codes itself");

        var frames = new FrameLog(door);
        await door.Locator("[data-action=start-camera]").ClickAsync();

        var outcome = door.Locator("[data-checkin-outcome]");
        try
        {
            // Each frame crosses to the server and is read there: on two cores busy with the other test
            // projects that has taken longer than the context's 20 s.
            await Expect(outcome).ToHaveAttributeAsync("data-checkin-outcome", "admitted", new() { Timeout = 40_000 });
        }
        catch (PlaywrightException ex)
        {
            throw new PlaywrightException($"{ex.Message}{Environment.NewLine}Camera: {frames}");
        }

        await Expect(outcome).ToContainTextAsync(title);

        // The code stays in front of the camera: it is sent again after a few seconds, and refused as admitted.
        await Expect(outcome).ToHaveAttributeAsync("data-checkin-outcome", "alreadyadmitted", new() { Timeout = 15_000 });
        await context.CloseAsync();
    }

    private async Task<Guid> SoldToAdminAsync(string title)
    {
        using var seller = Client();
        (await seller.PostAsJsonAsync("/api/users/signup", new { email = $"camera-seller-{Guid.NewGuid():N}@example.com", password = Pages.Password })).EnsureSuccessStatusCode();
        var ticket = await (await seller.PostAsJsonAsync("/api/tickets", new { title, price = 40 })).Content.ReadFromJsonAsync<IdDto>();

        using var admin = Client();
        (await admin.PostAsJsonAsync("/api/users/signin", new { email = TicketingApp.AdminEmail, password = TicketingApp.AdminPassword })).EnsureSuccessStatusCode();
        var order = await (await admin.PostAsJsonAsync("/api/orders", new { ticketId = ticket!.Id })).Content.ReadFromJsonAsync<IdDto>();
        (await admin.PostAsJsonAsync("/api/payments", new { orderId = order!.Id, token = "tok_visa" })).EnsureSuccessStatusCode();
        return order.Id;
    }

    private HttpClient Client() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = _app.BaseAddress };

    private sealed record IdDto(Guid Id);

    /// <summary>What the page sent the server and heard back, for a failure to say where the scan stopped.</summary>
    private sealed class FrameLog
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _events = new();
        private int _sent;
        private int _read;

        public FrameLog(IPage page)
        {
            page.Console += (_, message) => Seen($"console {message.Type}: {message.Text}");
            page.Response += async (_, response) =>
            {
                if (!response.Url.Contains("/scan/frame", StringComparison.Ordinal))
                {
                    return;
                }

                Interlocked.Increment(ref _sent);
                try
                {
                    var body = await response.TextAsync();
                    if (response.Status != 200 || !body.Contains("\"code\":null", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref _read);
                        Seen($"frame {response.Status}: {body}");
                    }
                }
                catch (PlaywrightException)
                {
                    // The page went away with the answer.
                }
            };
        }

        public override string ToString() =>
            $"{_sent} frames answered, {_read} of them with a code or an error; {string.Join("; ", _events.Take(20).Select(e => $"{e.Key} ×{e.Value}"))}";

        private void Seen(string what) => _events.AddOrUpdate(what, 1, (_, n) => n + 1);
    }
}
