using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ticketing.Bench.CounterBaseline;

/// <summary>
/// The Blazor Web App template's server (Razor components, interactive server render mode, the
/// Counter page) on its own Kestrel port: the B5 baseline.
/// </summary>
internal static class CounterBaselineHost
{
    public static async Task<WebApplication> StartAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // This assembly's static web assets manifest serves _framework/blazor.web.js; Development
            // loads it from the build output, as the app under test is hosted.
            ApplicationName = typeof(App).Assembly.GetName().Name,
            EnvironmentName = "Development",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();

        var app = builder.Build();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        await app.StartAsync();
        return app;
    }
}
