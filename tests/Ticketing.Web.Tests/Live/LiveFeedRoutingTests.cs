using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Web.Hubs;
using Ticketing.Web.Live;

namespace Ticketing.Web.Tests.Live;

/// <summary>A change wakes only the pages showing that ticket, or asking for it by their rule.</summary>
public sealed class LiveFeedRoutingTests
{
    private readonly LiveFeed _feed = new();

    [Fact]
    public void Change_ReachesOnlyTheWatchesShowingThatTicket()
    {
        var (a, b) = (Ticket(), Ticket());
        var showingA = Watch(out var seenByA);
        var showingB = Watch(out var seenByB);
        showingA.Show([a.Id]);
        showingB.Show([b.Id]);

        _feed.Publish(new TicketChange(LiveMethods.TicketLocked, a));

        Assert.Equal([a.Id], seenByA.Select(c => c.Ticket.Id));
        Assert.Empty(seenByB);
    }

    [Fact]
    public void ThousandsOfWatches_OnlyTheOneShowingTheTicketIsWoken()
    {
        var seen = new ConcurrentBag<Guid>();
        var tickets = Enumerable.Range(0, 1_000).Select(_ => Ticket()).ToList();
        foreach (var ticket in tickets)
        {
            _feed.Watch(c => { seen.Add(ticket.Id); return Task.CompletedTask; }).Show([ticket.Id]);
        }

        _feed.Publish(new TicketChange(LiveMethods.TicketSold, tickets[500]));

        Assert.Equal([tickets[500].Id], seen);
    }

    [Fact]
    public void Rule_TakesChangesOfTicketsNotShown_OnceEach()
    {
        var (shown, created) = (Ticket(), Ticket());
        var watch = Watch(out var seen, c => c.Kind == LiveMethods.TicketCreated);
        watch.Show([shown.Id]);

        _feed.Publish(new TicketChange(LiveMethods.TicketCreated, created));
        _feed.Publish(new TicketChange(LiveMethods.TicketLocked, Ticket()));
        _feed.Publish(new TicketChange(LiveMethods.TicketCreated, shown));

        Assert.Equal([created.Id, shown.Id], seen.Select(c => c.Ticket.Id));
    }

    [Fact]
    public void WhileLoading_AWatchTakesEverything_ThenOnlyWhatItShows()
    {
        var (a, b) = (Ticket(), Ticket());
        var watch = Watch(out var seen);

        watch.ShowEverything();
        _feed.Publish(new TicketChange(LiveMethods.TicketLocked, a));
        watch.Show([b.Id]);
        _feed.Publish(new TicketChange(LiveMethods.TicketUnlocked, a));
        _feed.Publish(new TicketChange(LiveMethods.TicketLocked, b));

        Assert.Equal([(LiveMethods.TicketLocked, a.Id), (LiveMethods.TicketLocked, b.Id)], seen.Select(c => (c.Kind, c.Ticket.Id)));
    }

    [Fact]
    public void DisposedWatch_IsNoLongerWoken()
    {
        var ticket = Ticket();
        var watch = Watch(out var seen, _ => true);
        watch.Show([ticket.Id]);

        watch.Dispose();
        _feed.Publish(new TicketChange(LiveMethods.TicketLocked, ticket));

        Assert.Empty(seen);
    }

    [Fact]
    public void CircuitEnd_DisposesItsWatchesAndListeners()
    {
        var ticket = Ticket();
        var circuit = new LiveUpdates(_feed);
        var seen = new List<TicketChange>();
        var component = circuit.Subscribe(new RendererInfo("Server", isInteractive: true));
        component.WatchTickets(c => { seen.Add(c); return Task.CompletedTask; })!.Show([ticket.Id]);
        component.OnTicketChanged(c => { seen.Add(c); return Task.CompletedTask; });

        circuit.Dispose();
        _feed.Publish(new TicketChange(LiveMethods.TicketLocked, ticket));

        Assert.Empty(seen);
    }

    [Fact]
    public void PrerenderedComponent_TakesNoHandlerAndNoWatch()
    {
        var ticket = Ticket();
        using var circuit = new LiveUpdates(_feed);
        var seen = new List<TicketChange>();
        var component = circuit.Subscribe(new RendererInfo("Static", isInteractive: false));

        component.OnTicketChanged(c => { seen.Add(c); return Task.CompletedTask; });
        var watch = component.WatchTickets(c => { seen.Add(c); return Task.CompletedTask; });
        _feed.Publish(new TicketChange(LiveMethods.TicketLocked, ticket));

        Assert.False(component.IsListening);
        Assert.Null(watch);
        Assert.Equal(0, circuit.Subscriptions);
        Assert.Empty(seen);
    }

    [Fact]
    public void DisposedSubscription_StopsItsHandlersAndWatches_AndLeavesTheOthers()
    {
        var ticket = Ticket();
        using var circuit = new LiveUpdates(_feed);
        var gone = new List<TicketChange>();
        var kept = new ConcurrentQueue<TicketChange>();
        var leaving = circuit.Subscribe(new RendererInfo("Server", isInteractive: true));
        var staying = circuit.Subscribe(new RendererInfo("Server", isInteractive: true));
        leaving.OnTicketChanged(c => { gone.Add(c); return Task.CompletedTask; });
        leaving.WatchTickets(c => { gone.Add(c); return Task.CompletedTask; })!.Show([ticket.Id]);
        staying.OnTicketChanged(c => { kept.Enqueue(c); return Task.CompletedTask; });

        leaving.Dispose();
        _feed.Publish(new TicketChange(LiveMethods.TicketLocked, ticket));

        Assert.Equal(1, circuit.Subscriptions);
        Assert.Empty(gone);
        Assert.Single(kept);
    }

    private TicketWatch Watch(out List<TicketChange> seen, Func<TicketChange, bool>? alsoWhen = null)
    {
        var changes = new List<TicketChange>();
        seen = changes;
        return _feed.Watch(c => { changes.Add(c); return Task.CompletedTask; }, alsoWhen);
    }

    private static TicketView Ticket() => new(Guid.NewGuid(), "Gig", 10m, Guid.NewGuid(), 0, "available", null, null, null, null, null);
}
