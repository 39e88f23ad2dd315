using Ticketing.Domain.Orders;

namespace Ticketing.Domain.Tests.Orders;

/// <summary>How the attempt holding an order ends when it takes no money, or hands over to the provider.</summary>
public sealed class OrderPaymentAttemptTests
{
    [Fact]
    public void ReleasePayment_ByTheHoldingAttempt_MakesTheOrderPayableAgain()
    {
        var order = Given.OrderIn(OrderStatus.AwaitingPayment);

        var released = order.ReleasePayment(Given.AttemptId, "pi_declined", Given.Later(3));

        Assert.True(released);
        Assert.Equal(OrderStatus.Created, order.Status);
        Assert.Equal(PaymentAttemptState.None, order.PaymentAttempt);
        Assert.Null(order.PaymentAttemptStartedAt);
        Assert.Equal("pi_declined", order.PaymentReference);
        Assert.Equal(2, order.Version);
        var e = Assert.IsType<OrderPaymentReleased>(Assert.Single(order.DomainEvents));
        Assert.Equal(new OrderPaymentReleased(Given.OrderId, 2, Given.Later(3), Given.BuyerId, Given.AttemptId), e);

        order.ClaimPayment(Guid.NewGuid(), Given.Later(4));
        Assert.True(order.IsCharging);
    }

    [Fact]
    public void ReleasePayment_AfterTheWindowClosed_ExpiresTheOrderAtOnce()
    {
        var order = Given.OrderIn(OrderStatus.AwaitingPayment);

        var released = order.ReleasePayment(Given.AttemptId, "pi_declined", Given.Later(16));

        Assert.True(released);
        Assert.Equal((OrderStatus.Cancelled, (CancellationReason?)CancellationReason.Expired), (order.Status, order.CancellationReason));
        var e = Assert.IsType<OrderCancelled>(Assert.Single(order.DomainEvents));
        Assert.Equal(new OrderCancelled(Given.OrderId, 2, Given.Later(16), Given.BuyerId, Given.TicketId, CancellationReason.Expired, "pi_declined"), e);
    }

    [Fact]
    public void ReleasePayment_ByAnAttemptThatDoesNotHoldTheOrder_ChangesNothing()
    {
        var order = Given.OrderIn(OrderStatus.AwaitingPayment);

        Assert.False(order.ReleasePayment(Guid.NewGuid(), null, Given.Later(3)));
        Assert.False(Given.OrderAwaitingConfirmation().ReleasePayment(Given.AttemptId, null, Given.Later(3)));
        Assert.False(Given.OrderIn(OrderStatus.Complete).ReleasePayment(Given.AttemptId, null, Given.Later(3)));

        Assert.True(order.IsHeldBy(Given.AttemptId));
        Assert.Equal(1, order.Version);
        Assert.Empty(order.DomainEvents);
    }

    [Fact]
    public void AwaitConfirmation_ByTheHoldingAttempt_RecordsTheProviderPaymentAndNoLongerCharges()
    {
        var order = Given.OrderIn(OrderStatus.AwaitingPayment);

        var changed = order.AwaitConfirmation(Given.AttemptId, "pi_3ds", Given.Later(3));

        Assert.True(changed);
        Assert.Equal(OrderStatus.AwaitingPayment, order.Status);
        Assert.Equal(PaymentAttemptState.AwaitingConfirmation, order.PaymentAttempt);
        Assert.False(order.IsCharging);
        Assert.Equal("pi_3ds", order.PaymentReference);
        var e = Assert.IsType<OrderAwaitingPayment>(Assert.Single(order.DomainEvents));
        Assert.Equal(new OrderAwaitingPayment(Given.OrderId, 2, Given.Later(3), Given.BuyerId, Given.AttemptId, "pi_3ds"), e);
    }

    [Fact]
    public void AwaitConfirmation_ByAnAttemptThatDoesNotHoldTheOrder_ChangesNothing()
    {
        var order = Given.OrderIn(OrderStatus.AwaitingPayment);

        Assert.False(order.AwaitConfirmation(Guid.NewGuid(), "pi_3ds", Given.Later(3)));
        Assert.False(Given.OrderIn(OrderStatus.Cancelled).AwaitConfirmation(Given.AttemptId, "pi_3ds", Given.Later(3)));

        Assert.Equal(PaymentAttemptState.Charging, order.PaymentAttempt);
        Assert.Null(order.PaymentReference);
        Assert.Empty(order.DomainEvents);
    }
}
