using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Orders;
using Ticketing.Infrastructure.Events;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Architecture;

/// <summary>
/// A reaction or an after-commit handler that nobody registers silently does nothing: this test
/// names every such type in the app's assemblies that the running app does not resolve, and shows
/// on a deliberately forgotten handler that it would.
/// </summary>
public sealed class HandlerRegistrationTests : IAsyncLifetime
{
    private readonly TicketingApp _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void EveryReactionAndHandlerInTheApp_IsRegistered()
    {
        var missing = Unregistered([typeof(Program).Assembly, typeof(IEventHandler).Assembly]);

        Assert.True(missing.Count == 0, "Reactions or handlers that nothing registers: " + string.Join(", ", missing.Select(t => t.FullName)));
    }

    [Fact]
    public void TheCheck_NamesAForgottenHandler()
    {
        var missing = Unregistered([typeof(HandlerRegistrationTests).Assembly]);

        Assert.Contains(typeof(ForgottenHandler), missing);
    }

    /// <summary>The concrete reaction and handler types in <paramref name="assemblies"/> that the app does not resolve.</summary>
    private List<Type> Unregistered(Assembly[] assemblies)
    {
        using var scope = _app.Services.CreateScope();
        var resolved = scope.ServiceProvider.GetServices<IEventHandler>().Select(h => h.GetType())
            .Concat(scope.ServiceProvider.GetServices<IDomainEventReaction>().Select(r => r.GetType()))
            .SelectMany(t => t.IsGenericType ? [t, t.GetGenericTypeDefinition()] : new[] { t })
            .ToHashSet();

        return assemblies
            .SelectMany(a => a.GetTypes())
            .Where(t => t is { IsAbstract: false, IsInterface: false }
                && (typeof(IEventHandler).IsAssignableFrom(t) || typeof(IDomainEventReaction).IsAssignableFrom(t)))
            .Where(t => !resolved.Contains(t))
            .ToList();
    }
}

/// <summary>A handler someone wrote and forgot to register.</summary>
internal sealed class ForgottenHandler : CommittedEventHandler<OrderCreated>
{
    protected override Task HandleAsync(OrderCreated domainEvent, CancellationToken cancellationToken) => Task.CompletedTask;
}
