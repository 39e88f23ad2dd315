using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;

namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>
/// An order brought to a named state through the aggregates' own methods a minute after it was
/// placed, with its ticket as the reactions would have left it: "created" (or "window open"),
/// "charging", "awaiting confirmation", "released", "complete", "cancelled by buyer", "expired".
/// </summary>
internal static class OrdersInState
{
    public static (Order Order, Ticket Ticket) Reserve(string title, Guid buyer, DateTimeOffset placedAt, TimeSpan window)
    {
        var ticket = Ticket.List(Guid.NewGuid(), Guid.NewGuid(), TicketDetails.Create(title, 30m, venue: "Hall"), placedAt);
        var order = Order.Place(Guid.NewGuid(), buyer, ticket.Id, ticket.Title, ticket.Price, placedAt, window);
        ticket.Lock(order.Id, buyer, order.ExpiresAt, placedAt);
        return (order, ticket);
    }

    public static void Bring(Order order, Ticket ticket, string state, DateTimeOffset placedAt)
    {
        var attempt = Guid.NewGuid();
        var at = placedAt.AddMinutes(1);
        switch (state)
        {
            case "created" or "window open":
                break;
            case "charging":
                order.ClaimPayment(attempt, at);
                break;
            case "awaiting confirmation":
                order.ClaimPayment(attempt, at);
                order.AwaitConfirmation(attempt, $"pi_{order.Id:N}", at);
                break;
            case "released":
                order.ClaimPayment(attempt, at);
                order.ReleasePayment(attempt, $"pi_{order.Id:N}", at);
                break;
            case "complete":
                order.ClaimPayment(attempt, at);
                order.Complete(Guid.NewGuid(), at);
                ticket.MarkSold(order.Id, at);
                break;
            case "cancelled by buyer":
                order.Cancel(CancellationReason.User, at);
                ticket.Unlock(order.Id, at);
                break;
            case "expired":
                order.Cancel(CancellationReason.Expired, at);
                ticket.Unlock(order.Id, at);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, null);
        }
    }
}
