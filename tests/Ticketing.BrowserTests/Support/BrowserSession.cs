using Microsoft.Playwright;
using Ticketing.Testing;

namespace Ticketing.BrowserTests.Support;

/// <summary>
/// One app on Kestrel plus the browser contexts opened against it. Disposal closes the contexts
/// first: an open Blazor circuit would otherwise hold the server's graceful shutdown for 30 s.
/// </summary>
/// <param name="prepareContext">Runs on every new browser context before its first page (e.g. routes to stand-ins of other sites).</param>
/// <param name="services">Replaces or adds the app's registrations (e.g. a log capture), after its own.</param>
public sealed class BrowserSession(
    BrowserFixture browser,
    IDictionary<string, string?> settings,
    Func<IBrowserContext, Task>? prepareContext = null,
    Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null) : IAsyncDisposable
{
    private readonly List<IBrowserContext> _contexts = [];

    public TicketingApp App { get; } = new(kestrel: true, settings: settings, services: services);

    /// <param name="locale">The browser's language (its Accept-Language); <param name="timezoneId">and time zone.</param></param>
    /// <param name="line">The line the browser reaches the app through (a test cuts it), or none: straight to the app's port.</param>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800, string locale = "en-US", string timezoneId = "UTC", NetworkLine? line = null)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (line?.Address ?? App.BaseAddress).ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = locale,
            TimezoneId = timezoneId,
        });
        context.SetDefaultTimeout(20_000);
        _contexts.Add(context);
        if (prepareContext is not null)
        {
            await prepareContext(context);
        }

        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        await App.DisposeAsync();
    }
}
