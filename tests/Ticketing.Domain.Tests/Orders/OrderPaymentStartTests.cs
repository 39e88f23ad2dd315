using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;

namespace Ticketing.Domain.Tests.Orders;

public sealed class OrderPaymentStartTests
{
    [Fact]
    public void StartPayment_WhenCreated_AwaitsPayment()
    {
        var order = Given.PlacedOrder();

        order.StartPayment("pi_123", Given.Later(2));

        Assert.Equal(OrderStatus.AwaitingPayment, order.Status);
        Assert.True(order.IsLive);
        Assert.Equal("pi_123", order.PaymentReference);
        Assert.Equal(Given.Later(2), order.UpdatedAt);
        Assert.Equal(1, order.Version);
    }

    [Fact]
    public void StartPayment_RaisesOrderAwaitingPaymentCarryingTheNewVersion()
    {
        var order = Given.PlacedOrder();

        order.StartPayment("pi_123", Given.Later(2));

        var awaiting = Assert.IsType<OrderAwaitingPayment>(Assert.Single(order.DomainEvents));
        Assert.Equal(new OrderAwaitingPayment(Given.OrderId, 1, Given.Later(2), Given.BuyerId, "pi_123"), awaiting);
    }

    [Fact]
    public void StartPayment_AgainWithTheSameReference_IsIdempotent()
    {
        var order = Given.PlacedOrder();
        order.StartPayment("pi_123", Given.Later(2));

        order.StartPayment("pi_123", Given.Later(3));

        Assert.Equal(OrderStatus.AwaitingPayment, order.Status);
        Assert.Equal(1, order.Version);
        Assert.Equal(Given.Later(2), order.UpdatedAt);
        Assert.Single(order.DomainEvents);
    }

    [Fact]
    public void StartPayment_AgainWithANewReference_RecordsTheNewAttempt()
    {
        var order = Given.PlacedOrder();
        order.StartPayment("pi_123", Given.Later(2));

        order.StartPayment("pi_456", Given.Later(3));

        Assert.Equal("pi_456", order.PaymentReference);
        Assert.Equal(2, order.Version);
        Assert.Equal(
            ["pi_123", "pi_456"],
            order.DomainEvents.Cast<OrderAwaitingPayment>().Select(e => e.PaymentReference));
    }

    [Theory]
    [InlineData(OrderStatus.Cancelled, "Order has been cancelled")]
    [InlineData(OrderStatus.Complete, "Order has already been paid")]
    public void StartPayment_WhenOrderIsFinal_Fails(OrderStatus status, string message)
    {
        var order = Given.OrderIn(status);
        var versionBefore = order.Version;

        var ex = Assert.Throws<BusinessRuleViolationException>(() => order.StartPayment("pi_123", Given.Later(2)));

        Assert.Equal(message, ex.Message);
        Assert.Equal(status, order.Status);
        Assert.Null(order.PaymentReference);
        Assert.Equal(versionBefore, order.Version);
        Assert.Empty(order.DomainEvents);
    }

    [Fact]
    public void StartPayment_AfterExpiry_Fails()
    {
        var order = Given.PlacedOrder();

        var ex = Assert.Throws<BusinessRuleViolationException>(() => order.StartPayment("pi_123", Given.Later(15)));

        Assert.Equal("Order has expired", ex.Message);
        Assert.Equal(OrderStatus.Created, order.Status);
        Assert.Null(order.PaymentReference);
        Assert.Equal(0, order.Version);
        Assert.Empty(order.DomainEvents);
    }
}
