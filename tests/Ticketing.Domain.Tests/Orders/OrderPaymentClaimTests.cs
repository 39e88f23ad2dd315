using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;

namespace Ticketing.Domain.Tests.Orders;

public sealed class OrderPaymentClaimTests
{
    private static readonly DateTimeOffset ExpiresAt = Given.Now + Given.ReservationWindow;

    [Fact]
    public void ClaimPayment_WhenCreated_AwaitsPaymentHeldByTheAttempt()
    {
        var order = Given.PlacedOrder();

        order.ClaimPayment(Given.AttemptId, Given.Later(2));

        Assert.Equal(OrderStatus.AwaitingPayment, order.Status);
        Assert.Equal(PaymentAttemptState.Charging, order.PaymentAttempt);
        Assert.Equal(Given.AttemptId, order.PaymentAttemptId);
        Assert.Equal(Given.Later(2), order.PaymentAttemptStartedAt);
        Assert.True(order.IsCharging);
        Assert.True(order.IsHeldBy(Given.AttemptId));
        Assert.False(order.IsHeldBy(Guid.NewGuid()));
        Assert.True(order.IsLive);
        Assert.Equal(1, order.Version);
    }

    [Fact]
    public void ClaimPayment_RaisesOrderAwaitingPaymentWithTheAttemptAndNoReferenceYet()
    {
        var order = Given.PlacedOrder();

        order.ClaimPayment(Given.AttemptId, Given.Later(2));

        var awaiting = Assert.IsType<OrderAwaitingPayment>(Assert.Single(order.DomainEvents));
        Assert.Equal(new OrderAwaitingPayment(Given.OrderId, 1, Given.Later(2), Given.BuyerId, Given.AttemptId, null), awaiting);
    }

    [Fact]
    public void ClaimPayment_OneTickBeforeExpiry_Succeeds()
    {
        var order = Given.PlacedOrder();

        order.ClaimPayment(Given.AttemptId, ExpiresAt.AddTicks(-1));

        Assert.True(order.IsCharging);
    }

    [Fact]
    public void ClaimPayment_WhileAnotherAttemptCharges_FailsAsInProgress()
    {
        var order = Given.OrderIn(OrderStatus.AwaitingPayment);

        var ex = Assert.Throws<BusinessRuleViolationException>(() => order.ClaimPayment(Guid.NewGuid(), Given.Later(3)));

        Assert.Equal("A payment for this order is in progress", ex.Message);
        Assert.Equal(Given.AttemptId, order.PaymentAttemptId);
        Assert.Equal(1, order.Version);
        Assert.Empty(order.DomainEvents);
    }

    [Fact]
    public void ClaimPayment_WhileTheProviderConfirmsAnAttempt_FailsAsInProgress()
    {
        var order = Given.OrderAwaitingConfirmation();

        var ex = Assert.Throws<BusinessRuleViolationException>(() => order.ClaimPayment(Guid.NewGuid(), Given.Later(3)));

        Assert.Equal("A payment for this order is in progress", ex.Message);
        Assert.Equal(PaymentAttemptState.AwaitingConfirmation, order.PaymentAttempt);
    }

    [Theory]
    [InlineData(OrderStatus.Cancelled, "Order has been cancelled")]
    [InlineData(OrderStatus.Complete, "Order has already been paid")]
    public void ClaimPayment_WhenFinal_FailsWithTheReason(OrderStatus status, string message)
    {
        var order = Given.OrderIn(status);
        var versionBefore = order.Version;

        var ex = Assert.Throws<BusinessRuleViolationException>(() => order.ClaimPayment(Given.AttemptId, Given.Later(3)));

        Assert.Equal(message, ex.Message);
        Assert.Null(ex.Field);
        Assert.Equal(status, order.Status);
        Assert.Equal(PaymentAttemptState.None, order.PaymentAttempt);
        Assert.Equal(versionBefore, order.Version);
        Assert.Empty(order.DomainEvents);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ClaimPayment_AtOrAfterExpiry_FailsAsExpiredEvenBeforeTheExpiryJobRan(int secondsLate)
    {
        var order = Given.PlacedOrder();

        var ex = Assert.Throws<BusinessRuleViolationException>(() => order.ClaimPayment(Given.AttemptId, ExpiresAt.AddSeconds(secondsLate)));

        Assert.Equal("Order has expired", ex.Message);
        Assert.Equal(OrderStatus.Created, order.Status);
        Assert.Null(order.PaymentAttemptId);
    }
}
