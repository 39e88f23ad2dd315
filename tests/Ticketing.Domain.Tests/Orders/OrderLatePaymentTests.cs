using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;

namespace Ticketing.Domain.Tests.Orders;

public sealed class OrderLatePaymentTests
{
    [Fact]
    public void CompleteLate_WhenExpired_CompletesTheOrderAndClearsTheReason()
    {
        var order = Given.PlacedOrder();
        order.Cancel(CancellationReason.Expired, Given.Later(15));
        order.ClearDomainEvents();

        order.CompleteLate(Given.PaymentId, Given.Later(20));

        Assert.Equal(OrderStatus.Complete, order.Status);
        Assert.Null(order.CancellationReason);
        Assert.Equal(Given.Later(20), order.UpdatedAt);
        Assert.Equal(2, order.Version);
        var completed = Assert.IsType<OrderCompleted>(Assert.Single(order.DomainEvents));
        Assert.Equal(new OrderCompleted(Given.OrderId, 2, Given.Later(20), Given.BuyerId, Given.TicketId, Given.PaymentId), completed);
    }

    [Theory]
    [InlineData(CancellationReason.User)]
    [InlineData(CancellationReason.Admin)]
    public void CompleteLate_WhenTheBuyerOrAnAdminCancelled_FailsAndTheOrderStaysCancelled(CancellationReason reason)
    {
        var order = Given.PlacedOrder();
        order.Cancel(reason, Given.Later(5));
        order.ClearDomainEvents();

        var ex = Assert.Throws<BusinessRuleViolationException>(() => order.CompleteLate(Given.PaymentId, Given.Later(20)));

        Assert.Equal("Only an expired order can be completed by a late payment", ex.Message);
        Assert.Equal((OrderStatus.Cancelled, (CancellationReason?)reason, 1), (order.Status, order.CancellationReason, order.Version));
        Assert.Empty(order.DomainEvents);
    }

    [Fact]
    public void CompleteLate_WhenTheSaleWasRefunded_Fails()
    {
        var order = Given.OrderIn(OrderStatus.Complete);
        order.Refund(adminId: null, "Refunded at the payment provider", relistTicket: true, Given.Later(30));
        order.ClearDomainEvents();

        Assert.Throws<BusinessRuleViolationException>(() => order.CompleteLate(Given.PaymentId, Given.Later(31)));

        Assert.Equal((OrderStatus.Refunded, (CancellationReason?)null), (order.Status, order.CancellationReason));
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

        Assert.Equal("Only an expired order can be completed by a late payment", ex.Message);
        Assert.Equal(status, order.Status);
        Assert.Equal(versionBefore, order.Version);
        Assert.Empty(order.DomainEvents);
    }

    [Fact]
    public void CompleteLate_Twice_FailsTheSecondTime()
    {
        var order = Given.PlacedOrder();
        order.Cancel(CancellationReason.Expired, Given.Later(15));
        order.CompleteLate(Given.PaymentId, Given.Later(20));

        Assert.Throws<BusinessRuleViolationException>(() => order.CompleteLate(Given.PaymentId, Given.Later(21)));

        Assert.Equal(OrderStatus.Complete, order.Status);
        Assert.Equal(2, order.Version);
    }
}
