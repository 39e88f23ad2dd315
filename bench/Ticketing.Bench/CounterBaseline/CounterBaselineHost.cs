using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ticketing.Bench.CounterBaseline;

/// <summary>
/// The Blazor Web App template's server (Razor components, interactive server render mode, the
/// Counter page) on its own Kestrel port: the B5 baseline. Its <c>/live</c> page and
/// <c>POST /trigger</c> are the B7 baseline.
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
        builder.Services.AddSingleton<LiveSignal>();

        var app = builder.Build();
        app.UseAntiforgery();
        app.MapStaticAssets();

        // Answers at once and fans out on the thread pool, as the app answers its API call and
        // pushes from the outbox dispatcher after the commit.
        app.MapPost("/trigger/{id}/{status}", (string id, string status, LiveSignal signal) =>
        {
            _ = Task.Run(() => signal.Set(id, status));
            return Results.NoContent();
        });
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        await app.StartAsync();
        return app;
    }
}
