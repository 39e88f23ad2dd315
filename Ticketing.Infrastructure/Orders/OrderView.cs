namespace Ticketing.Infrastructure.Orders;

public sealed record OrderTicketView(Guid Id, string Title, decimal Price, int Version);

/// <summary>The public shape of an order, as the API and the live channel send it.</summary>
public sealed record OrderView(Guid Id, Guid UserId, string Status, DateTimeOffset ExpiresAt, int Version, OrderTicketView Ticket)
{
    public static OrderView From(Order order, Ticket? ticket) => new(
        order.Id,
        order.BuyerId,
        order.Status.ToWire(),
        order.ExpiresAt,
        order.Version,
        new OrderTicketView(order.TicketId, ticket?.Title ?? order.TicketTitle, order.Price, ticket?.Version ?? 0));

    /// <summary>
    /// The order as of <paramref name="change"/>: its status, version and buyer from the event, the
    /// rest (which no change alters) from the row as it is now, which may be later. A push built
    /// this way says what that change did, however late it runs.
    /// </summary>
    public static OrderView AsOf(IOrderEvent change, Order order, Ticket? ticket)
    {
        var status = OrderEventStatus.After(change) ?? throw new ArgumentException($"{change.GetType().Name} does not set an order's status.", nameof(change));
        return From(order, ticket) with { UserId = change.BuyerId, Status = status.ToWire(), Version = change.Version };
    }
}

/// <summary>
/// An order as its own pages show it: the public order and, once cancelled, why (user, expired or
/// admin). The API's and the live channel's order object is fixed by the original services and has
/// no reason, but a page that says "Cancelled" or "Expired" must tell the two apart.
/// </summary>
public sealed record ShownOrder(OrderView Order, string? CancellationReason)
{
    public static ShownOrder From(Order order, Ticket? ticket) =>
        new(OrderView.From(order, ticket), order.CancellationReason?.ToWire());
}
