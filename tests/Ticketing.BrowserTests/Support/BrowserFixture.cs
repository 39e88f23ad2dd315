using Microsoft.Playwright;

namespace Ticketing.BrowserTests.Support;

/// <summary>One Playwright driver and one headless Debian Chromium, shared by every browser test.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async Task InitializeAsync()
    {
        // Assertions auto-wait and pass as soon as they hold. The bound is generous because CI runs
        // every test project at once on two cores, where a Stripe round trip can take seconds; tests
        // that promise a time (a change on screen within 2 s) measure it themselves.
        Assertions.SetDefaultExpectTimeout(20_000);
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run `apt-get update && apt-get install -y chromium` (Playwright's own browser download cannot reach the network here).");
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await LaunchAsync([]);
    }

    /// <summary>
    /// A second Chromium whose camera plays <paramref name="y4mVideo"/> (a YUV4MPEG2 file), with the
    /// camera permitted: what a phone held up to a ticket would film.
    /// </summary>
    public Task<IBrowser> LaunchWithCameraAsync(string y4mVideo) =>
        LaunchAsync(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", $"--use-file-for-fake-video-capture={y4mVideo}"]);

    private Task<IBrowser> LaunchAsync(string[] extraArgs) =>
        (_playwright ?? throw new InvalidOperationException("Playwright has not started.")).Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                .. extraArgs,
            ],
        });

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
