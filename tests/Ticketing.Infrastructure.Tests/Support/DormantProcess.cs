using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>
/// The app's infrastructure on a database file, built but never started: the use cases commit
/// through the real event pipeline (outbox rows included), while no dispatcher and no scheduler
/// ever run. It plays a process that committed and died before dispatching anything.
/// </summary>
internal sealed class DormantProcess : IDisposable
{
    private readonly IHost _host;

    private DormantProcess(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static DormantProcess On(string databasePath, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Ticketing"] = $"Data Source={databasePath}",
        });
        builder.Services.AddLogging();
        builder.Services.AddInfrastructure(builder.Configuration, builder.Environment);
        configure?.Invoke(builder.Services);
        return new DormantProcess(builder.Build());
    }

    public void Dispose() => _host.Dispose();
}
