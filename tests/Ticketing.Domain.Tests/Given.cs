using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;

namespace Ticketing.Domain.Tests;

/// <summary>
/// Aggregates in a known state, on a fixed UTC clock. Each builder clears the events raised on the
/// way there, so a test sees only the events of the behaviour it exercises.
/// </summary>
internal static class Given
{
    public static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan ReservationWindow = TimeSpan.FromMinutes(15);

    public static readonly Guid TicketId = Guid.Parse("11111111-1111-1111-1111-111111111111");

    public static readonly Guid SellerId = Guid.Parse("22222222-2222-2222-2222-222222222222");

    public static readonly Guid BuyerId = Guid.Parse("33333333-3333-3333-3333-333333333333");

    public static readonly Guid OrderId = Guid.Parse("44444444-4444-4444-4444-444444444444");

    public static readonly Guid OtherOrderId = Guid.Parse("55555555-5555-5555-5555-555555555555");

    public static readonly Guid PaymentId = Guid.Parse("66666666-6666-6666-6666-666666666666");

    public static readonly Guid AttemptId = Guid.Parse("77777777-7777-7777-7777-777777777777");

    public static DateTimeOffset Later(int minutes) => Now.AddMinutes(minutes);

    public static TicketDetails Details(string title = "Summer Festival", decimal price = 50m) => TicketDetails.Create(title, price);

    public static Ticket AvailableTicket()
    {
        var ticket = Ticket.List(TicketId, SellerId, Details(), Now);
        ticket.ClearDomainEvents();
        return ticket;
    }

    public static Ticket TicketReservedBy(Guid orderId)
    {
        var ticket = AvailableTicket();
        ticket.Lock(orderId, BuyerId, Now + ReservationWindow, Now);
        ticket.ClearDomainEvents();
        return ticket;
    }

    public static Ticket TicketSoldTo(Guid orderId)
    {
        var ticket = TicketReservedBy(orderId);
        ticket.MarkSold(orderId, Later(1));
        ticket.ClearDomainEvents();
        return ticket;
    }

    public static Order PlacedOrder()
    {
        var order = Order.Place(OrderId, BuyerId, TicketId, "Summer Festival", 50m, Now, ReservationWindow);
        order.ClearDomainEvents();
        return order;
    }

    /// <summary>A payment attempt the provider confirms later (3-D Secure) holds the order, with provider payment pi_123.</summary>
    public static Order OrderAwaitingConfirmation()
    {
        var order = PlacedOrder();
        order.ClaimPayment(AttemptId, Later(1));
        order.AwaitConfirmation(AttemptId, "pi_123", Later(2));
        order.ClearDomainEvents();
        return order;
    }

    /// <summary>
    /// An order brought to <paramref name="status"/> through the transitions a real one takes;
    /// <see cref="OrderStatus.AwaitingPayment"/> is a charge in flight for <see cref="AttemptId"/>.
    /// </summary>
    public static Order OrderIn(OrderStatus status)
    {
        var order = PlacedOrder();
        switch (status)
        {
            case OrderStatus.Created:
                break;
            case OrderStatus.AwaitingPayment:
                order.ClaimPayment(AttemptId, Later(1));
                break;
            case OrderStatus.Complete:
                order.Complete(PaymentId, Later(1));
                break;
            case OrderStatus.Cancelled:
                order.Cancel(CancellationReason.User, Later(1));
                break;
            case OrderStatus.Refunded:
                order.Complete(PaymentId, Later(1));
                order.Refund(adminId: null, "Refunded at the payment provider", relistTicket: true, Later(2));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status));
        }

        order.ClearDomainEvents();
        return order;
    }
}
