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
}
