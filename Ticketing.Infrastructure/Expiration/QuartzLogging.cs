using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Quartz.Logging;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Ticketing.Infrastructure.Expiration;

/// <summary>
/// Quartz keeps its log provider in a process-wide static. When a host is disposed while another
/// keeps running in the same process (integration tests, a restart in place), Quartz would go on
/// logging into the disposed factory and throw. This factory degrades to a null logger instead.
/// </summary>
internal sealed class QuartzLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    /// <summary>Call after <c>AddQuartz</c>: swaps Quartz's own log-provider registration for this one.</summary>
    public static void Register(IServiceCollection services)
    {
        // Quartz registers its (internal) provider type; replace it, keeping the service type.
        var registration = services.FirstOrDefault(d => d.ServiceType.FullName == "Quartz.Simpl.MicrosoftLoggingProvider");
        if (registration is null)
        {
            return;
        }

        services.Remove(registration);
        services.Add(ServiceDescriptor.Singleton(registration.ServiceType, sp =>
        {
            var factory = new QuartzLoggerFactory(sp.GetRequiredService<ILoggerFactory>());
            LogContext.SetCurrentLogProvider(factory);
            return Activator.CreateInstance(registration.ServiceType, factory)!;
        }));
    }

    public ILogger CreateLogger(string categoryName)
    {
        try
        {
            return new TolerantLogger(inner.CreateLogger(categoryName));
        }
        catch (ObjectDisposedException)
        {
            return NullLogger.Instance;
        }
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
        // The host owns the inner factory.
    }

    private sealed class TolerantLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            try
            {
                return inner.BeginScope(state);
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
        }

        public bool IsEnabled(LogLevel logLevel)
        {
            try
            {
                return inner.IsEnabled(logLevel);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
            catch (ObjectDisposedException)
            {
                // The host that owned these providers is gone.
            }
        }
    }
}
