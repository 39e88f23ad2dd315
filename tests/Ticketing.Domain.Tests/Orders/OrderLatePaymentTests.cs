using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;

namespace Ticketing.Domain.Tests.Orders;

public sealed class OrderLatePaymentTests
{
    [Theory]
    [InlineData(CancellationReason.User)]
    [InlineData(CancellationReason.Expired)]
    [InlineData(CancellationReason.Admin)]
    public void CompleteLate_WhenCancelled_CompletesTheOrderAndClearsTheReason(CancellationReason reason)
    {
        var order = Given.PlacedOrder();
        order.Cancel(reason, Given.Later(15));
        order.ClearDomainEvents();

        order.CompleteLate(Given.PaymentId, Given.Later(20));

        Assert.Equal(OrderStatus.Complete, order.Status);
        Assert.Null(order.CancellationReason);
        Assert.Equal(Given.Later(20), order.UpdatedAt);
        Assert.Equal(2, order.Version);
    }

    [Fact]
    public void CompleteLate_RaisesOrderCompletedCarryingTheNewVersion()
    {
        var order = Given.OrderIn(OrderStatus.Cancelled);

        order.CompleteLate(Given.PaymentId, Given.Later(20));

        var completed = Assert.IsType<OrderCompleted>(Assert.Single(order.DomainEvents));
        Assert.Equal(new OrderCompleted(Given.OrderId, 2, Given.Later(20), Given.BuyerId, Given.TicketId, Given.PaymentId), completed);
    }

    [Theory]
    [InlineData(OrderStatus.Created)]
    [InlineData(OrderStatus.AwaitingPayment)]
    [InlineData(OrderStatus.Complete)]
    public void CompleteLate_WhenNotCancelled_Fails(OrderStatus status)
    {
        var order = Given.OrderIn(status);
        var versionBefore = order.Version;

        var ex = Assert.Throws<BusinessRuleViolationException>(() => order.CompleteLate(Given.PaymentId, Given.Later(20)));

        Assert.Equal("Only a cancelled order can be completed by a late payment", ex.Message);
        Assert.Equal(status, order.Status);
        Assert.Equal(versionBefore, order.Version);
        Assert.Empty(order.DomainEvents);
    }

    [Fact]
    public void CompleteLate_Twice_FailsTheSecondTime()
    {
        var order = Given.OrderIn(OrderStatus.Cancelled);
        order.CompleteLate(Given.PaymentId, Given.Later(20));

        Assert.Throws<BusinessRuleViolationException>(() => order.CompleteLate(Given.PaymentId, Given.Later(21)));

        Assert.Equal(OrderStatus.Complete, order.Status);
        Assert.Equal(2, order.Version);
        Assert.Single(order.DomainEvents);
    }
}
