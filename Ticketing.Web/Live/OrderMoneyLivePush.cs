using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Web.Live;

/// <summary>
/// Money moved for an order without changing the order itself (a refund made, money refused, a
/// dispute): the pages that follow the order (its audit trail, the admin's grids) are told, so they
/// read it again. Only the in-process feed hears it; the buyer's hub connection gets no
/// <c>OrderUpdated</c>, since their order did not change.
/// </summary>
internal sealed class OrderMoneyLivePush<TEvent>(LiveFeed feed, TicketingDbContext db, Func<TEvent, Guid> orderOf) : CommittedEventHandler<TEvent>
    where TEvent : Ticketing.Domain.Common.IDomainEvent
{
    protected override async Task HandleAsync(TEvent e, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderOf(e), cancellationToken);
        if (order is null)
        {
            return;
        }

        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == order.TicketId, cancellationToken);
        feed.Publish(new OrderChange(OrderView.From(order, ticket), order.CancellationReason?.ToWire()));
    }
}

internal static class OrderMoneyLivePushRegistration
{
    public static IServiceCollection AddOrderMoneyLivePush(this IServiceCollection services)
    {
        services.AddScoped<IEventHandler>(sp => Create<PaymentRejected>(sp, e => e.OrderId));
        services.AddScoped<IEventHandler>(sp => Create<PaymentRefunded>(sp, e => e.OrderId));
        services.AddScoped<IEventHandler>(sp => Create<PaymentDisputed>(sp, e => e.OrderId));
        return services;
    }

    private static OrderMoneyLivePush<TEvent> Create<TEvent>(IServiceProvider services, Func<TEvent, Guid> orderOf)
        where TEvent : Ticketing.Domain.Common.IDomainEvent =>
        new(services.GetRequiredService<LiveFeed>(), services.GetRequiredService<TicketingDbContext>(), orderOf);
}
