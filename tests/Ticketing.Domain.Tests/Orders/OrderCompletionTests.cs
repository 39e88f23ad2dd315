using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;

namespace Ticketing.Domain.Tests.Orders;

public sealed class OrderCompletionTests
{
    [Theory]
    [InlineData(OrderStatus.Created)]
    [InlineData(OrderStatus.AwaitingPayment)]
    public void Complete_FromALiveStatus_CompletesTheOrder(OrderStatus status)
    {
        var order = Given.OrderIn(status);
        var versionBefore = order.Version;

        var completed = order.Complete(Given.PaymentId, Given.Later(4));

        Assert.True(completed);
        Assert.Equal(OrderStatus.Complete, order.Status);
        Assert.False(order.IsLive);
        Assert.Equal(Given.Later(4), order.UpdatedAt);
        Assert.Equal(versionBefore + 1, order.Version);
    }

    [Theory]
    [InlineData(OrderStatus.Created)]
    [InlineData(OrderStatus.AwaitingPayment)]
    public void Complete_RaisesOrderCompletedCarryingTheNewVersion(OrderStatus status)
    {
        var order = Given.OrderIn(status);
        var expectedVersion = order.Version + 1;

        order.Complete(Given.PaymentId, Given.Later(4));

        var completed = Assert.IsType<OrderCompleted>(Assert.Single(order.DomainEvents));
        Assert.Equal(
            new OrderCompleted(Given.OrderId, expectedVersion, Given.Later(4), Given.BuyerId, Given.TicketId, Given.PaymentId),
            completed);
    }

    [Fact]
    public void Complete_EndsTheAttemptThatHeldTheOrder()
    {
        var charging = Given.OrderIn(OrderStatus.AwaitingPayment);
        var confirming = Given.OrderAwaitingConfirmation();

        charging.Complete(Given.PaymentId, Given.Later(4));
        confirming.Complete(Given.PaymentId, Given.Later(4));

        Assert.All([charging, confirming], o => Assert.Equal((OrderStatus.Complete, PaymentAttemptState.None, (DateTimeOffset?)null), (o.Status, o.PaymentAttempt, o.PaymentAttemptStartedAt)));
        Assert.False(charging.IsCharging);
    }

    [Fact]
    public void Complete_AfterExpiryBeforeTheExpiryJobRan_StillCompletes()
    {
        var order = Given.OrderIn(OrderStatus.AwaitingPayment);

        var completed = order.Complete(Given.PaymentId, Given.Later(20));

        Assert.True(completed);
        Assert.Equal(OrderStatus.Complete, order.Status);
    }

    [Fact]
    public void Complete_Twice_ReturnsFalseAndRaisesNothing()
    {
        var order = Given.OrderIn(OrderStatus.Complete);
        var updatedBefore = order.UpdatedAt;

        var completed = order.Complete(Given.PaymentId, Given.Later(5));

        Assert.False(completed);
        Assert.Equal(OrderStatus.Complete, order.Status);
        Assert.Equal(1, order.Version);
        Assert.Equal(updatedBefore, order.UpdatedAt);
        Assert.Empty(order.DomainEvents);
    }

    [Fact]
    public void Complete_WhenCancelled_Fails()
    {
        var order = Given.OrderIn(OrderStatus.Cancelled);

        var ex = Assert.Throws<BusinessRuleViolationException>(() => order.Complete(Given.PaymentId, Given.Later(5)));

        Assert.Equal("Order has been cancelled", ex.Message);
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal(CancellationReason.User, order.CancellationReason);
        Assert.Equal(1, order.Version);
        Assert.Empty(order.DomainEvents);
    }
}
