using Ticketing.Domain.Orders;

namespace Ticketing.Domain.Tests.Orders;

public sealed class OrderPlacementTests
{
    [Fact]
    public void Place_CreatesALiveOrderAtVersionZero()
    {
        var order = Order.Place(Given.OrderId, Given.BuyerId, Given.TicketId, "Summer Festival", 50m, Given.Now, Given.ReservationWindow);

        Assert.Equal(Given.OrderId, order.Id);
        Assert.Equal(Given.BuyerId, order.BuyerId);
        Assert.Equal(Given.TicketId, order.TicketId);
        Assert.Equal("Summer Festival", order.TicketTitle);
        Assert.Equal(50m, order.Price);
        Assert.Equal(OrderStatus.Created, order.Status);
        Assert.True(order.IsLive);
        Assert.Equal(0, order.Version);
        Assert.Null(order.CancellationReason);
        Assert.Null(order.PaymentReference);
        Assert.Equal(Given.Now, order.CreatedAt);
        Assert.Equal(Given.Now, order.UpdatedAt);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(30)]
    [InlineData(900)]
    public void Place_SetsExpiryToNowPlusTheReservationWindow(int windowSeconds)
    {
        var window = TimeSpan.FromSeconds(windowSeconds);

        var order = Order.Place(Given.OrderId, Given.BuyerId, Given.TicketId, "Summer Festival", 50m, Given.Now, window);

        Assert.Equal(Given.Now.AddSeconds(windowSeconds), order.ExpiresAt);
    }

    [Fact]
    public void Place_RaisesOrderCreatedWithVersionZero()
    {
        var order = Order.Place(Given.OrderId, Given.BuyerId, Given.TicketId, "Summer Festival", 50m, Given.Now, Given.ReservationWindow);

        var created = Assert.IsType<OrderCreated>(Assert.Single(order.DomainEvents));
        Assert.Equal(
            new OrderCreated(Given.OrderId, 0, Given.Now, Given.BuyerId, Given.TicketId, 50m, Given.Now + Given.ReservationWindow),
            created);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-900)]
    public void Place_WithNonPositiveWindow_Throws(int windowSeconds)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => Order.Place(Given.OrderId, Given.BuyerId, Given.TicketId, "Summer Festival", 50m, Given.Now, TimeSpan.FromSeconds(windowSeconds)));

        Assert.Equal("reservationWindow", ex.ParamName);
    }
}
