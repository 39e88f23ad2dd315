using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Events;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// Carries the app's <see cref="DomainEventPipeline"/> in a context's options, so that a context can
/// be pooled (a pooled context has no constructor but the one taking its options). A context whose
/// options have none saves plain rows and publishes nothing: tests' seeding, design time.
/// </summary>
internal sealed class DomainEventsOptions(DomainEventPipeline pipeline) : IDbContextOptionsExtension
{
    public DomainEventPipeline Pipeline { get; } = pipeline;

    public DbContextOptionsExtensionInfo Info => new Described(this);

    public void ApplyServices(IServiceCollection services)
    {
    }

    public void Validate(IDbContextOptions options)
    {
    }

    /// <summary>Changes nothing in EF Core's own services: every context shares one internal provider.</summary>
    private sealed class Described(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "DomainEvents ";

        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is Described;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) => debugInfo["Ticketing:DomainEvents"] = "1";
    }
}

internal static class DomainEventsOptionsExtensions
{
    /// <summary>Saves through this context run <paramref name="pipeline"/>: reactions, outbox rows, on-commit handlers.</summary>
    public static DbContextOptionsBuilder PublishThrough(this DbContextOptionsBuilder options, DomainEventPipeline pipeline)
    {
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new DomainEventsOptions(pipeline));
        return options;
    }
}
