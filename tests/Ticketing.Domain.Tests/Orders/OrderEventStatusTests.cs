using Ticketing.Domain.Orders;

namespace Ticketing.Domain.Tests.Orders;

/// <summary>
/// Each order event names the status the order has right after it, so that a late reader (a live
/// push running after the next change committed) tells what that change did.
/// </summary>
public sealed class OrderEventStatusTests
{
    [Fact]
    public void EveryEvent_NamesTheStatusTheOrderHadRightAfterIt()
    {
        Action<Order> claim = o => o.ClaimPayment(Given.AttemptId, Given.Later(1));
        Action<Order> complete = o => o.Complete(Given.PaymentId, Given.Later(2));
        Action<Order>[][] paths =
        [
            [claim, o => o.ReleasePayment(Given.AttemptId, "pi_1", Given.Later(1)), claim, complete],
            [claim, o => o.AwaitConfirmation(Given.AttemptId, "pi_2", Given.Later(1)), o => o.DeclineConfirmation(Given.AttemptId, Given.Later(2))],
            [claim, complete, o => o.Refund(null, "returned", relistTicket: true, Given.Later(3))],
            [o => o.Cancel(CancellationReason.Expired, Given.Later(16)), o => o.CompleteLate(Given.PaymentId, Given.Later(17))],
            [o => o.Cancel(CancellationReason.User, Given.Later(1))],
        ];

        var seen = new HashSet<Type>();
        foreach (var path in paths)
        {
            var order = Order.Place(Given.OrderId, Given.BuyerId, Given.TicketId, "Summer Festival", 50m, Given.Now, Given.ReservationWindow);
            var statuses = new List<OrderStatus> { order.Status };
            foreach (var step in path)
            {
                step(order);
                statuses.Add(order.Status);
            }

            var events = order.DomainEvents.Cast<IOrderEvent>().ToList();
            Assert.Equal(statuses.Count, events.Count);
            Assert.Equal(statuses.Cast<OrderStatus?>(), events.Select(OrderEventStatus.After));
            Assert.All(events, e => Assert.Equal(Given.BuyerId, e.BuyerId));
            seen.UnionWith(events.Select(e => e.GetType()));
        }

        Assert.Equal(
            [typeof(OrderAwaitingPayment), typeof(OrderCancelled), typeof(OrderCompleted), typeof(OrderCreated), typeof(OrderPaymentReleased), typeof(OrderRefunded)],
            seen.OrderBy(t => t.Name));
    }

    [Fact]
    public void Anonymising_TheBuyer_LeavesTheStatusAsItWas()
    {
        var order = Given.PlacedOrder();
        order.Cancel(CancellationReason.User, Given.Later(1));
        order.ClearDomainEvents();

        order.AnonymiseBuyer(Given.Later(2));

        Assert.Null(OrderEventStatus.After(Assert.IsType<OrderBuyerAnonymised>(Assert.Single(order.DomainEvents))));
    }
}
