using Ticketing.Domain.Common;
using Ticketing.Domain.Identity;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Orders.Rules;

namespace Ticketing.Domain.Tests.Identity;

/// <summary>A deleted buyer's orders that have ended stay in the books as the deleted account's.</summary>
public sealed class OrderBuyerAnonymisationTests
{
    [Theory]
    [InlineData(OrderStatus.Complete)]
    [InlineData(OrderStatus.Cancelled)]
    public void AnonymiseBuyer_OfAnEndedOrder_KeepsEverythingButTheBuyer(OrderStatus status)
    {
        var order = Given.OrderIn(status);

        Assert.True(order.AnonymiseBuyer(Given.Later(5)));

        Assert.Equal((DeletedAccount.Id, status, Given.TicketId, 50m), (order.BuyerId, order.Status, order.TicketId, order.Price));
        Assert.Equal(new OrderBuyerAnonymised(Given.OrderId, order.Version, Given.Later(5), DeletedAccount.Id), Assert.Single(order.DomainEvents));
    }

    [Theory]
    [InlineData(OrderStatus.Created)]
    [InlineData(OrderStatus.AwaitingPayment)]
    public void AnonymiseBuyer_OfALiveOrder_Fails(OrderStatus status)
    {
        var order = Given.OrderIn(status);

        var refused = Assert.Throws<BusinessRuleViolationException>(() => order.AnonymiseBuyer(Given.Later(1)));

        Assert.IsType<OrderMustHaveEndedRule>(refused.Rule);
        Assert.Equal(Given.BuyerId, order.BuyerId);
        Assert.Empty(order.DomainEvents);
    }

    [Fact]
    public void AnonymiseBuyer_Twice_RaisesOneEvent()
    {
        var order = Given.OrderIn(OrderStatus.Cancelled);

        order.AnonymiseBuyer(Given.Later(1));

        Assert.False(order.AnonymiseBuyer(Given.Later(2)));
        Assert.Single(order.DomainEvents);
    }
}
