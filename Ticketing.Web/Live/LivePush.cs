using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Web.Hubs;

namespace Ticketing.Web.Live;

/// <summary>Pushes a committed ticket change, as of the event's version, to every client.</summary>
internal sealed class TicketLivePush<TEvent>(IHubContext<TicketsHub> hub, LiveFeed feed, ILogger<TicketLivePush<TEvent>> logger)
    : CommittedEventHandler<TEvent>, IRunsOnCommit
    where TEvent : ITicketEvent
{
    private static readonly string Method = LiveMethods.ForTicketEvent(typeof(TEvent));

    protected override async Task HandleAsync(TEvent e, CancellationToken cancellationToken)
    {
        var ticket = TicketView.From(e);
        feed.Publish(new TicketChange(Method, ticket));
        await LivePushDelivery.SendAsync(() => hub.Clients.All.SendAsync(Method, ticket, cancellationToken), logger, Method, e.AggregateId);
    }
}

/// <summary>
/// Pushes an order change, as of the event's version, to the connections of the buyer it names:
/// every change once, in order, even when a later one has committed by the time this one runs
/// (a payment's claim and completion commit milliseconds apart). An account deleted with a live
/// order scrubs its id from the stored events in the same commit, so that cancel goes to nobody.
/// </summary>
internal sealed class OrderLivePush<TEvent>(IHubContext<TicketsHub> hub, LiveFeed feed, TicketingDbContext db, ILogger<OrderLivePush<TEvent>> logger)
    : CommittedEventHandler<TEvent>, IRunsOnCommit
    where TEvent : IOrderEvent
{
    // One compiled query per push, where two translated ones were a good part of the dispatcher's work per reservation.
    private static readonly Func<TicketingDbContext, Guid, CancellationToken, Task<OrderAndTicket?>> OrderWithTicket =
        EF.CompileAsyncQuery((TicketingDbContext db, Guid id, CancellationToken _) =>
            (from o in db.Orders.AsNoTracking()
             where o.Id == id
             join t in db.Tickets.AsNoTracking() on o.TicketId equals t.Id into tickets
             from t in tickets.DefaultIfEmpty()
             select new OrderAndTicket(o, t))
            .FirstOrDefault());

    private sealed record OrderAndTicket(Order Order, Ticket? Ticket);

    protected override async Task HandleAsync(TEvent e, CancellationToken cancellationToken)
    {
        var row = await OrderWithTicket(db, e.AggregateId, cancellationToken);
        if (row is null)
        {
            return;
        }

        var view = OrderView.AsOf(e, row.Order, row.Ticket);
        feed.Publish(new OrderChange(view, (e as OrderCancelled)?.Reason.ToWire()));
        await LivePushDelivery.SendAsync(
            () => hub.Clients.User(e.BuyerId.ToString()).SendAsync(LiveMethods.OrderUpdated, view, cancellationToken), logger, LiveMethods.OrderUpdated, e.AggregateId);
    }
}

/// <summary>
/// A push is best effort: if the SignalR backplane (Redis) is unreachable, the push is logged and
/// dropped rather than failing the outbox message, which would hold back the aggregate's later
/// events (an order's expiry among them) and turn a Redis outage into a full outage. Clients that
/// missed a push see the current state on their next load; ticket pushes carry versions.
/// </summary>
internal static class LivePushDelivery
{
    public static async Task SendAsync(Func<Task> send, ILogger logger, string method, Guid aggregateId)
    {
        try
        {
            await send();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Live push {Method} for {AggregateId} was dropped", method, aggregateId);
        }
    }
}

internal static class LivePushRegistration
{
    /// <summary>The ticket events pushed, each under the hub method <see cref="LiveMethods.ForTicketEvent"/> names (<see cref="TicketLivePush{TEvent}"/>).</summary>
    private static readonly Type[] TicketEvents =
        [typeof(TicketCreated), typeof(TicketUpdated), typeof(TicketLocked), typeof(TicketUnlocked), typeof(TicketSold), typeof(TicketWithdrawn), typeof(TicketSellerAnonymised)];

    private static readonly Type[] OrderEvents =
        [typeof(OrderCreated), typeof(OrderAwaitingPayment), typeof(OrderPaymentReleased), typeof(OrderCompleted), typeof(OrderCancelled), typeof(OrderRefunded)];

    public static IServiceCollection AddLivePush(this IServiceCollection services)
    {
        AddPushes(services, typeof(TicketLivePush<>), TicketEvents);
        AddPushes(services, typeof(OrderLivePush<>), OrderEvents);
        services.AddOrderMoneyLivePush();
        return services;
    }

    private static void AddPushes(IServiceCollection services, Type push, IEnumerable<Type> events)
    {
        foreach (var e in events)
        {
            services.AddScoped(typeof(IEventHandler), push.MakeGenericType(e));
        }
    }
}
