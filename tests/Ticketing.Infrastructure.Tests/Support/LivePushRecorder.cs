using System.Collections.Concurrent;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Testing;
using Ticketing.Web.Live;

namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>
/// Every change the live handlers pushed, in order. The app's own <see cref="LiveFeed"/> type (the
/// fan-out to Blazor circuits, fed by the same handlers as the SignalR hub); the test only owns the
/// instance, registered before the host starts so that not even the first push is missed.
/// </summary>
internal sealed class LivePushRecorder
{
    private readonly ConcurrentQueue<TicketChange> _tickets = new();
    private readonly ConcurrentQueue<OrderChange> _orders = new();
    private readonly LiveFeed _feed = new();

    public LivePushRecorder()
    {
        _feed.TicketChanged += _tickets.Enqueue;
        _feed.OrderChanged += _orders.Enqueue;
    }

    public IReadOnlyList<TicketChange> Tickets => [.. _tickets];

    public IReadOnlyList<OrderChange> Orders => [.. _orders];

    /// <summary>The app, with this recorder as its live feed.</summary>
    public Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> Attach(TicketingApp app) =>
        app.WithWebHostBuilder(b => b.ConfigureTestServices(services => services.AddSingleton(_feed)));
}
