using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Architecture;

/// <summary>
/// A use case that nobody registers fails only when a page or a route first asks for it: this test
/// names every Infrastructure class a page injects or an API route takes (besides its body) that the
/// running app does not resolve, and shows on a deliberately forgotten one that it would.
/// </summary>
public sealed class ServiceRegistrationTests : IAsyncLifetime
{
    private readonly TicketingApp _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void EveryInfrastructureClassThePagesAndRoutesAskFor_IsRegistered()
    {
        var routes = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .SelectMany(e => e.Metadata.OfType<MethodInfo>().SelectMany(m => m.GetParameters())
                .Select(p => p.ParameterType)
                .Where(t => t != e.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType))
            .ToList();

        var missing = Unregistered(Injected(typeof(Program).Assembly).Concat(routes), typeof(RegisteredAttribute).Assembly);

        Assert.NotEmpty(routes);
        Assert.True(missing.Count == 0, "Classes that pages or routes ask for and nothing registers: " + string.Join(", ", missing.Select(t => t.FullName)));
    }

    [Fact]
    public void TheCheck_NamesAForgottenUseCase()
    {
        var testAssembly = typeof(ServiceRegistrationTests).Assembly;

        var missing = Unregistered(Injected(testAssembly), testAssembly);

        Assert.Contains(typeof(ForgottenUseCase), missing);
    }

    private static IEnumerable<Type> Injected(Assembly pages) =>
        pages.GetTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(p => p.IsDefined(typeof(InjectAttribute)))
            .Select(p => p.PropertyType);

    /// <summary>The classes of <paramref name="provider"/> among <paramref name="asked"/> that the app does not resolve.</summary>
    private List<Type> Unregistered(IEnumerable<Type> asked, Assembly provider)
    {
        var services = _app.Services.GetRequiredService<IServiceProviderIsService>();
        return asked.Where(t => t.Assembly == provider && t.IsClass && !services.IsService(t)).Distinct().ToList();
    }
}

/// <summary>A use case someone wrote and forgot to mark.</summary>
internal sealed class ForgottenUseCase;

internal sealed class PageAskingForTheForgottenUseCase : ComponentBase
{
    [Inject]
    private ForgottenUseCase UseCase { get; set; } = null!;
}
