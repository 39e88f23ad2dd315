using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;

namespace Ticketing.Domain.Tests.Orders;

public sealed class OrderCancellationTests
{
    [Theory]
    [InlineData(CancellationReason.User)]
    [InlineData(CancellationReason.Expired)]
    [InlineData(CancellationReason.Admin)]
    public void Cancel_WithEachReason_CancelsTheOrderAndRecordsWhy(CancellationReason reason)
    {
        var order = Given.PlacedOrder();

        var cancelled = order.Cancel(reason, Given.Later(15));

        Assert.True(cancelled);
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.False(order.IsLive);
        Assert.Equal(reason, order.CancellationReason);
        Assert.Equal(Given.Later(15), order.UpdatedAt);
        Assert.Equal(1, order.Version);
    }

    [Theory]
    [InlineData(CancellationReason.User)]
    [InlineData(CancellationReason.Expired)]
    [InlineData(CancellationReason.Admin)]
    public void Cancel_RaisesOrderCancelledCarryingTheReasonAndNewVersion(CancellationReason reason)
    {
        var order = Given.PlacedOrder();

        order.Cancel(reason, Given.Later(15));

        var cancelled = Assert.IsType<OrderCancelled>(Assert.Single(order.DomainEvents));
        Assert.Equal(new OrderCancelled(Given.OrderId, 1, Given.Later(15), Given.BuyerId, Given.TicketId, reason), cancelled);
    }

    [Theory]
    [InlineData(CancellationReason.User)]
    [InlineData(CancellationReason.Expired)]
    [InlineData(CancellationReason.Admin)]
    public void Cancel_WhileAChargeIsInFlight_FailsAsInProgressAndChangesNothing(CancellationReason reason)
    {
        var order = Given.OrderIn(OrderStatus.AwaitingPayment);

        var ex = Assert.Throws<BusinessRuleViolationException>(() => order.Cancel(reason, Given.Later(5)));

        Assert.Equal("A payment for this order is in progress", ex.Message);
        Assert.True(order.IsHeldBy(Given.AttemptId));
        Assert.Null(order.CancellationReason);
        Assert.Equal(1, order.Version);
        Assert.Empty(order.DomainEvents);
    }

    [Fact]
    public void Cancel_WhileTheProviderConfirmsThePayment_CancelsAndNamesThePaymentToStop()
    {
        var order = Given.OrderAwaitingConfirmation();

        var cancelled = order.Cancel(CancellationReason.User, Given.Later(5));

        Assert.True(cancelled);
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal(PaymentAttemptState.None, order.PaymentAttempt);
        Assert.Equal(3, order.Version);
        var e = Assert.IsType<OrderCancelled>(Assert.Single(order.DomainEvents));
        Assert.Equal(new OrderCancelled(Given.OrderId, 3, Given.Later(5), Given.BuyerId, Given.TicketId, CancellationReason.User, "pi_123"), e);
    }

    [Fact]
    public void Cancel_Twice_ReturnsFalseAndKeepsTheFirstReason()
    {
        var order = Given.OrderIn(OrderStatus.Cancelled);
        var updatedBefore = order.UpdatedAt;

        var cancelled = order.Cancel(CancellationReason.Expired, Given.Later(15));

        Assert.False(cancelled);
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal(CancellationReason.User, order.CancellationReason);
        Assert.Equal(updatedBefore, order.UpdatedAt);
        Assert.Equal(1, order.Version);
        Assert.Empty(order.DomainEvents);
    }

    [Theory]
    [InlineData(CancellationReason.User)]
    [InlineData(CancellationReason.Expired)]
    [InlineData(CancellationReason.Admin)]
    public void Cancel_WhenComplete_Fails(CancellationReason reason)
    {
        var order = Given.OrderIn(OrderStatus.Complete);

        var ex = Assert.Throws<BusinessRuleViolationException>(() => order.Cancel(reason, Given.Later(15)));

        Assert.Equal("Order has already been paid", ex.Message);
        Assert.Equal(OrderStatus.Complete, order.Status);
        Assert.Null(order.CancellationReason);
        Assert.Equal(1, order.Version);
        Assert.Empty(order.DomainEvents);
    }
}
