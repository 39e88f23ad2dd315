using Ticketing.Domain.Orders;

namespace Ticketing.Domain.Tests.Orders;

/// <summary>How an attempt the provider was confirming later (3-D Secure) ends when the bank says no.</summary>
public sealed class OrderConfirmationDeclineTests
{
    [Fact]
    public void DeclineConfirmation_OfTheAwaitedAttempt_MakesTheOrderPayableAgainAndKeepsItsProviderPayment()
    {
        var order = Given.OrderAwaitingConfirmation();

        var declined = order.DeclineConfirmation(Given.AttemptId, Given.Later(4));

        Assert.True(declined);
        Assert.Equal((OrderStatus.Created, PaymentAttemptState.None), (order.Status, order.PaymentAttempt));
        Assert.Equal("pi_123", order.PaymentReference);
        Assert.Equal(3, order.Version);
        var e = Assert.IsType<OrderPaymentReleased>(Assert.Single(order.DomainEvents));
        Assert.Equal(new OrderPaymentReleased(Given.OrderId, 3, Given.Later(4), Given.BuyerId, Given.AttemptId), e);

        // Another card may be tried at once.
        order.ClaimPayment(Guid.NewGuid(), Given.Later(5));
        Assert.True(order.IsCharging);
    }

    [Fact]
    public void DeclineConfirmation_AfterTheWindowClosed_ExpiresTheOrderAndNamesThePaymentToStop()
    {
        var order = Given.OrderAwaitingConfirmation();

        Assert.True(order.DeclineConfirmation(Given.AttemptId, Given.Later(16)));

        Assert.Equal((OrderStatus.Cancelled, (CancellationReason?)CancellationReason.Expired), (order.Status, order.CancellationReason));
        var e = Assert.IsType<OrderCancelled>(Assert.Single(order.DomainEvents));
        Assert.Equal(new OrderCancelled(Given.OrderId, 3, Given.Later(16), Given.BuyerId, Given.TicketId, CancellationReason.Expired, "pi_123"), e);
    }

    [Fact]
    public void DeclineConfirmation_OfAnotherAttemptOrAChargeInFlight_ChangesNothing()
    {
        var awaiting = Given.OrderAwaitingConfirmation();
        var charging = Given.OrderIn(OrderStatus.AwaitingPayment);

        Assert.False(awaiting.DeclineConfirmation(Guid.NewGuid(), Given.Later(4)));
        Assert.False(charging.DeclineConfirmation(Given.AttemptId, Given.Later(4)));

        Assert.Equal((OrderStatus.AwaitingPayment, PaymentAttemptState.AwaitingConfirmation, 2), (awaiting.Status, awaiting.PaymentAttempt, awaiting.Version));
        Assert.True(charging.IsHeldBy(Given.AttemptId));
        Assert.Empty(awaiting.DomainEvents);
        Assert.Empty(charging.DomainEvents);
    }

    [Theory]
    [InlineData(OrderStatus.Created)]
    [InlineData(OrderStatus.Complete)]
    [InlineData(OrderStatus.Cancelled)]
    public void DeclineConfirmation_WhenNothingAwaitsConfirmation_ChangesNothing(OrderStatus status)
    {
        var order = Given.OrderIn(status);
        var version = order.Version;

        Assert.False(order.DeclineConfirmation(Given.AttemptId, Given.Later(4)));

        Assert.Equal((status, version), (order.Status, order.Version));
        Assert.Empty(order.DomainEvents);
    }

    [Fact]
    public void DeclineConfirmation_RepeatedForTheSameAttempt_ChangesTheOrderOnce()
    {
        var order = Given.OrderAwaitingConfirmation();

        Assert.True(order.DeclineConfirmation(Given.AttemptId, Given.Later(4)));
        Assert.False(order.DeclineConfirmation(Given.AttemptId, Given.Later(5)));

        Assert.Equal(3, order.Version);
        Assert.Single(order.DomainEvents);
    }
}
