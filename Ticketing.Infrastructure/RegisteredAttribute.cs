using Microsoft.Extensions.DependencyInjection;

namespace Ticketing.Infrastructure;

/// <summary>
/// Marks a use case (or what use cases share) that the app resolves as itself:
/// <see cref="DependencyInjection.AddInfrastructure"/> registers every marked class, so a new one is
/// registered where it is written rather than in a list kept elsewhere.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public abstract class RegisteredAttribute(ServiceLifetime lifetime) : Attribute
{
    public ServiceLifetime Lifetime { get; } = lifetime;
}

/// <summary>One instance per scope: a request, a circuit, a job's or a handler's run.</summary>
public sealed class ScopedAttribute() : RegisteredAttribute(ServiceLifetime.Scoped);

/// <summary>One instance for the app.</summary>
public sealed class SingletonAttribute() : RegisteredAttribute(ServiceLifetime.Singleton);
