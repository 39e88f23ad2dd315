using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;

namespace Ticketing.Domain.Tests.Orders;

public sealed class OrderPayabilityTests
{
    private static readonly DateTimeOffset ExpiresAt = Given.Now + Given.ReservationWindow;

    [Theory]
    [InlineData(OrderStatus.Created)]
    [InlineData(OrderStatus.AwaitingPayment)]
    public void EnsurePayable_WhenLiveAndWithinTheWindow_Passes(OrderStatus status)
    {
        var order = Given.OrderIn(status);

        var ex = Record.Exception(() => order.EnsurePayable(Given.Later(5)));

        Assert.Null(ex);
    }

    [Fact]
    public void EnsurePayable_OneTickBeforeExpiry_Passes()
    {
        var order = Given.PlacedOrder();

        var ex = Record.Exception(() => order.EnsurePayable(ExpiresAt.AddTicks(-1)));

        Assert.Null(ex);
    }

    [Fact]
    public void EnsurePayable_WhenCancelled_Fails()
    {
        var order = Given.OrderIn(OrderStatus.Cancelled);

        var ex = Assert.Throws<BusinessRuleViolationException>(() => order.EnsurePayable(Given.Later(5)));

        Assert.Equal("Order has been cancelled", ex.Message);
        Assert.Null(ex.Field);
    }

    [Fact]
    public void EnsurePayable_WhenComplete_Fails()
    {
        var order = Given.OrderIn(OrderStatus.Complete);

        var ex = Assert.Throws<BusinessRuleViolationException>(() => order.EnsurePayable(Given.Later(5)));

        Assert.Equal("Order has already been paid", ex.Message);
    }

    [Fact]
    public void EnsurePayable_AtExpiry_Fails()
    {
        var order = Given.PlacedOrder();

        var ex = Assert.Throws<BusinessRuleViolationException>(() => order.EnsurePayable(ExpiresAt));

        Assert.Equal("Order has expired", ex.Message);
    }

    [Fact]
    public void EnsurePayable_AfterExpiryBeforeTheExpiryJobRan_Fails()
    {
        var order = Given.OrderIn(OrderStatus.AwaitingPayment);

        var ex = Assert.Throws<BusinessRuleViolationException>(() => order.EnsurePayable(ExpiresAt.AddMinutes(1)));

        Assert.Equal("Order has expired", ex.Message);
        Assert.Equal(OrderStatus.AwaitingPayment, order.Status);
    }

    [Fact]
    public void EnsurePayable_WhenCancelledAndExpired_ReportsTheCancellation()
    {
        var order = Given.OrderIn(OrderStatus.Cancelled);

        var ex = Assert.Throws<BusinessRuleViolationException>(() => order.EnsurePayable(ExpiresAt.AddMinutes(1)));

        Assert.Equal("Order has been cancelled", ex.Message);
    }

    [Fact]
    public void EnsurePayable_WhenCompleteAndExpired_ReportsThePayment()
    {
        var order = Given.OrderIn(OrderStatus.Complete);

        var ex = Assert.Throws<BusinessRuleViolationException>(() => order.EnsurePayable(ExpiresAt.AddMinutes(1)));

        Assert.Equal("Order has already been paid", ex.Message);
    }

    [Fact]
    public void IsExpired_IsFalseBeforeExpiry_AndTrueFromExpiryOn()
    {
        var order = Given.PlacedOrder();

        Assert.False(order.IsExpired(ExpiresAt.AddTicks(-1)));
        Assert.True(order.IsExpired(ExpiresAt));
        Assert.True(order.IsExpired(ExpiresAt.AddHours(1)));
    }
}
