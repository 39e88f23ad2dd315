using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;

namespace Ticketing.Domain.Tests.Orders;

/// <summary>A completed order refunded by an admin or by the provider: <c>complete → refunded</c>, final.</summary>
public sealed class OrderRefundTests
{
    private static readonly Guid AdminId = Guid.Parse("88888888-8888-8888-8888-888888888888");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Refund_WhenComplete_MakesTheOrderRefunded_AndSaysWhoWhyAndWhatOfTheTicket(bool relist)
    {
        var order = Given.OrderIn(OrderStatus.Complete);

        order.Refund(AdminId, "Event cancelled by the organiser", relist, Given.Later(30));

        Assert.Equal((OrderStatus.Refunded, (CancellationReason?)null, 2, "refunded"), (order.Status, order.CancellationReason, order.Version, order.Status.ToWire()));
        var e = Assert.IsType<OrderRefunded>(Assert.Single(order.DomainEvents));
        Assert.Equal(new OrderRefunded(Given.OrderId, 2, Given.Later(30), Given.BuyerId, Given.TicketId, AdminId, "Event cancelled by the organiser", relist), e);
    }

    [Theory]
    [InlineData(OrderStatus.Created, "Only a paid order can be refunded")]
    [InlineData(OrderStatus.AwaitingPayment, "Only a paid order can be refunded")]
    [InlineData(OrderStatus.Cancelled, "Only a paid order can be refunded")]
    [InlineData(OrderStatus.Refunded, "Order has already been refunded")]
    public void Refund_WhenNotComplete_FailsAndChangesNothing(OrderStatus status, string message)
    {
        var order = Given.OrderIn(status);
        var versionBefore = order.Version;

        var ex = Assert.Throws<BusinessRuleViolationException>(() => order.Refund(AdminId, "Because", relistTicket: true, Given.Later(30)));

        Assert.Equal(message, ex.Message);
        Assert.Equal((status, versionBefore), (order.Status, order.Version));
        Assert.Empty(order.DomainEvents);
    }

    [Fact]
    public void RefundedOrder_CannotBePaidCancelledOrCompletedAgain()
    {
        var order = Given.OrderIn(OrderStatus.Refunded);

        Assert.Throws<BusinessRuleViolationException>(() => order.ClaimPayment(Guid.NewGuid(), Given.Later(2)));
        Assert.Throws<BusinessRuleViolationException>(() => order.Cancel(CancellationReason.Admin, Given.Later(2)));
        Assert.Throws<BusinessRuleViolationException>(() => order.Complete(Guid.NewGuid(), Given.Later(2)));

        Assert.Equal(OrderStatus.Refunded, order.Status);
        Assert.Empty(order.DomainEvents);
    }
}
