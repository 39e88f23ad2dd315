using Ticketing.Domain.Orders;

namespace Ticketing.Domain.Tests.Orders;

public sealed class OrderStatusNamesTests
{
    [Theory]
    [InlineData(OrderStatus.Created, "created")]
    [InlineData(OrderStatus.AwaitingPayment, "awaiting:payment")]
    [InlineData(OrderStatus.Complete, "complete")]
    [InlineData(OrderStatus.Cancelled, "cancelled")]
    [InlineData(OrderStatus.Refunded, "refunded")]
    public void ToWire_GivesTheOriginalServicesName(OrderStatus status, string expected)
    {
        Assert.Equal(expected, status.ToWire());
    }

    [Fact]
    public void ToWire_NamesEveryStatus()
    {
        Assert.All(Enum.GetValues<OrderStatus>(), status => Assert.False(string.IsNullOrEmpty(status.ToWire())));
    }

    [Theory]
    [InlineData(OrderStatus.Created, true)]
    [InlineData(OrderStatus.AwaitingPayment, true)]
    [InlineData(OrderStatus.Complete, false)]
    [InlineData(OrderStatus.Cancelled, false)]
    [InlineData(OrderStatus.Refunded, false)]
    public void IsLive_HoldsOnlyWhileTheOrderCanStillBePaid(OrderStatus status, bool live)
    {
        Assert.Equal(live, OrderStatusNames.IsLive(status.ToWire()));
    }

    [Fact]
    public void ToWire_WithUndefinedStatus_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((OrderStatus)99).ToWire());
    }
}
