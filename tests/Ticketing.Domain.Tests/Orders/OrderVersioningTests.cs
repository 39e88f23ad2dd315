using Ticketing.Domain.Orders;

namespace Ticketing.Domain.Tests.Orders;

public sealed class OrderVersioningTests
{
    [Fact]
    public void Version_GrowsByExactlyOnePerChange_AlongThePaidPath()
    {
        var order = Order.Place(Given.OrderId, Given.BuyerId, Given.TicketId, "Summer Festival", 50m, Given.Now, Given.ReservationWindow);

        order.ClaimPayment(Given.AttemptId, Given.Later(1));
        order.Complete(Given.PaymentId, Given.Later(2));

        Assert.Equal(2, order.Version);
        Assert.Equal([0, 1, 2], order.DomainEvents.Select(e => e.Version));
        Assert.Equal(
            [typeof(OrderCreated), typeof(OrderAwaitingPayment), typeof(OrderCompleted)],
            order.DomainEvents.Select(e => e.GetType()));
        Assert.All(order.DomainEvents, e => Assert.Equal(Given.OrderId, e.AggregateId));
    }

    [Fact]
    public void Version_GrowsByExactlyOnePerChange_ThroughCancellationAndLatePayment()
    {
        var order = Order.Place(Given.OrderId, Given.BuyerId, Given.TicketId, "Summer Festival", 50m, Given.Now, Given.ReservationWindow);

        order.Cancel(CancellationReason.Expired, Given.Later(15));
        order.CompleteLate(Given.PaymentId, Given.Later(16));

        Assert.Equal(2, order.Version);
        Assert.Equal([0, 1, 2], order.DomainEvents.Select(e => e.Version));
        Assert.Equal(
            [typeof(OrderCreated), typeof(OrderCancelled), typeof(OrderCompleted)],
            order.DomainEvents.Select(e => e.GetType()));
    }

    [Fact]
    public void Version_GrowsByExactlyOnePerChange_ThroughADeclineAndASecondAttempt()
    {
        var order = Order.Place(Given.OrderId, Given.BuyerId, Given.TicketId, "Summer Festival", 50m, Given.Now, Given.ReservationWindow);
        var second = Guid.NewGuid();

        order.ClaimPayment(Given.AttemptId, Given.Later(1));
        order.ReleasePayment(Given.AttemptId, "pi_123", Given.Later(1));
        order.ClaimPayment(second, Given.Later(2));
        order.Complete(Given.PaymentId, Given.Later(2));

        Assert.Equal(4, order.Version);
        Assert.Equal([0, 1, 2, 3, 4], order.DomainEvents.Select(e => e.Version));
        Assert.Equal(
            [typeof(OrderCreated), typeof(OrderAwaitingPayment), typeof(OrderPaymentReleased), typeof(OrderAwaitingPayment), typeof(OrderCompleted)],
            order.DomainEvents.Select(e => e.GetType()));
    }

    [Fact]
    public void Version_DoesNotChange_OnRepeatedCalls()
    {
        var paid = Given.PlacedOrder();
        paid.ClaimPayment(Given.AttemptId, Given.Later(1));
        paid.AwaitConfirmation(Given.AttemptId, "pi_123", Given.Later(2));
        paid.AwaitConfirmation(Given.AttemptId, "pi_123", Given.Later(2));
        paid.ReleasePayment(Given.AttemptId, null, Given.Later(2));
        paid.Complete(Given.PaymentId, Given.Later(3));
        paid.Complete(Given.PaymentId, Given.Later(4));

        var cancelled = Given.PlacedOrder();
        cancelled.Cancel(CancellationReason.User, Given.Later(1));
        cancelled.Cancel(CancellationReason.Expired, Given.Later(15));

        Assert.Equal(3, paid.Version);
        Assert.Equal([1, 2, 3], paid.DomainEvents.Select(e => e.Version));
        Assert.Equal(1, cancelled.Version);
        Assert.Equal([1], cancelled.DomainEvents.Select(e => e.Version));
    }
}
