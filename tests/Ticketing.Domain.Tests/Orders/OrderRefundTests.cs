using Ticketing.Domain.Orders;

namespace Ticketing.Domain.Tests.Orders;

/// <summary>A completed order whose whole payment the provider refunded.</summary>
public sealed class OrderRefundTests
{
    [Fact]
    public void CancelAfterRefund_WhenComplete_CancelsTheOrderAsRefunded()
    {
        var order = Given.OrderIn(OrderStatus.Complete);

        var cancelled = order.CancelAfterRefund(Given.Later(30));

        Assert.True(cancelled);
        Assert.Equal((OrderStatus.Cancelled, (CancellationReason?)CancellationReason.Refunded, 2), (order.Status, order.CancellationReason, order.Version));
        var e = Assert.IsType<OrderCancelled>(Assert.Single(order.DomainEvents));
        Assert.Equal(new OrderCancelled(Given.OrderId, 2, Given.Later(30), Given.BuyerId, Given.TicketId, CancellationReason.Refunded), e);
    }

    [Theory]
    [InlineData(OrderStatus.Created)]
    [InlineData(OrderStatus.AwaitingPayment)]
    [InlineData(OrderStatus.Cancelled)]
    public void CancelAfterRefund_WhenNotComplete_ChangesNothing(OrderStatus status)
    {
        var order = Given.OrderIn(status);
        var versionBefore = order.Version;

        Assert.False(order.CancelAfterRefund(Given.Later(30)));

        Assert.Equal((status, versionBefore), (order.Status, order.Version));
        Assert.Empty(order.DomainEvents);
    }
}
