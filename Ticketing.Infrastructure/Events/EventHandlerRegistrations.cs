using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace Ticketing.Infrastructure.Events;

/// <summary>
/// One registered handler of an event type: its stable name in <see cref="OutboxDelivery"/> (e.g.
/// <c>TicketLivePush&lt;TicketLocked&gt;</c>), how to build it, and whether it also runs on commit
/// (<see cref="IRunsOnCommit"/>).
/// </summary>
internal sealed record RegisteredHandler(string Name, Func<IServiceProvider, IEventHandler> Create, bool RunsOnCommit);

/// <summary>
/// The registrations of <see cref="IEventHandler"/>, read once the container is built: the outbox
/// dispatcher and the on-commit delivery build each handler the way it was registered, without
/// resolving the others. The registrations never change after start-up.
/// </summary>
public sealed class EventHandlerRegistrations(IServiceCollection services)
{
    private readonly ConcurrentDictionary<Type, IReadOnlyList<RegisteredHandler>> _byEventType = new();
    private IReadOnlyList<ServiceDescriptor>? _descriptors;

    private IReadOnlyList<ServiceDescriptor> Descriptors => _descriptors ??=
        services.Where(d => d.ServiceType == typeof(IEventHandler) && !d.IsKeyedService).ToList();

    /// <summary>The handlers of one event type, in registration order.</summary>
    internal IReadOnlyList<RegisteredHandler> Of(Type eventType, IServiceScopeFactory scopes)
    {
        if (_byEventType.TryGetValue(eventType, out var known))
        {
            return known;
        }

        using var scope = scopes.CreateScope();

        // The container returns a service's implementations in the order they were registered, so
        // the i-th handler resolved is the i-th registration.
        var handlers = scope.ServiceProvider.GetServices<IEventHandler>().ToList();
        if (Descriptors.Count != handlers.Count)
        {
            throw new InvalidOperationException($"{handlers.Count} event handlers resolved but {Descriptors.Count} registered.");
        }

        var ofType = new List<RegisteredHandler>();
        for (var i = 0; i < handlers.Count; i++)
        {
            if (handlers[i].EventType == eventType)
            {
                var type = handlers[i].GetType();
                ofType.Add(new RegisteredHandler(NameOf(type), FactoryOf(Descriptors[i], type), handlers[i] is IRunsOnCommit));
            }
        }

        return _byEventType.GetOrAdd(eventType, ofType);
    }

    private static Func<IServiceProvider, IEventHandler> FactoryOf(ServiceDescriptor descriptor, Type handlerType)
    {
        if (descriptor.ImplementationFactory is { } factory)
        {
            return services => (IEventHandler)factory(services);
        }

        if (descriptor.ImplementationInstance is IEventHandler instance)
        {
            return _ => instance;
        }

        var create = ActivatorUtilities.CreateFactory(handlerType, Type.EmptyTypes);
        return services => (IEventHandler)create(services, null);
    }

    private static string NameOf(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(",", type.GetGenericArguments().Select(NameOf))}>"
        : type.Name;
}
