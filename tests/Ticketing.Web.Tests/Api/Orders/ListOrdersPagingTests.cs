using System.Net;
using Ticketing.Domain.Orders;
using Ticketing.Infrastructure.Paging;
using Ticketing.Testing;
using Ticketing.Web.Tests.Api.Tickets;

namespace Ticketing.Web.Tests.Api.Orders;

/// <summary>A buyer with a history of 1,200 orders, beside another buyer's.</summary>
public sealed class OrderHistoryFixture : AppFixture
{
    public HttpClient Buyer { get; private set; } = default!;

    /// <summary>The buyer's orders, oldest first.</summary>
    public List<Order> Orders { get; private set; } = [];

    public override async Task InitializeAsync()
    {
        var (buyer, buyerId, _) = await App.SignUpAsync();
        var (_, sellerId, _) = await App.SignUpAsync();
        var (_, otherBuyerId, _) = await App.SignUpAsync();
        Buyer = buyer;
        var now = DateTimeOffset.UtcNow;
        Orders = await Catalogue.PlaceOrdersAsync(App.DatabasePath, buyerId, sellerId, 1_000, now.AddHours(-3));

        // Two hundred placed at one instant: the cursor must break the tie.
        Orders.AddRange(await Catalogue.PlaceOrdersAsync(App.DatabasePath, buyerId, sellerId, 200, now.AddHours(-2), TimeSpan.Zero));
        await Catalogue.PlaceOrdersAsync(App.DatabasePath, otherBuyerId, sellerId, 300, now.AddHours(-1));
    }
}

/// <summary><c>GET /api/orders</c> a page at a time, oldest first.</summary>
public sealed class ListOrdersPagingTests(OrderHistoryFixture history) : IClassFixture<OrderHistoryFixture>
{
    [Theory]
    [InlineData(null, 100)]
    [InlineData(500, 500)]
    [InlineData(7, 7)]
    public async Task Walk_FollowingTheLinkHeader_VisitsEachOfTheCallersOrdersOnceOldestFirst(int? limit, int pageSize)
    {
        var (walked, pages) = await ListTicketsPagingTests.WalkAsync<OrderDto>(history.Buyer, limit is null ? "/api/orders" : $"/api/orders?limit={limit}");

        Assert.Equal(history.Orders.Count, walked.Count);
        Assert.Equal((history.Orders.Count + pageSize - 1) / pageSize, pages);
        Assert.True(history.Orders.Select(o => o.Id).ToHashSet().SetEquals(walked.Select(o => o.Id)));
        var placed = history.Orders.ToDictionary(o => o.Id, o => o.CreatedAt);
        Assert.Equal(walked.Select(o => placed[o.Id]).Order(), walked.Select(o => placed[o.Id]));
        Assert.Equal(history.Orders[0].Id, walked[0].Id);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("after=nonsense", "after")]
    [InlineData("after=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "after")]
    public async Task BadLimitOrAfter_Is400NamingIt(string query, string field)
    {
        var response = await history.Buyer.GetAsync($"/api/orders?{query}");

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, field: field);
    }

    [Fact]
    public async Task TicketListCursor_IsNotAnOrdersCursor()
    {
        var cursor = new ListCursor(DateTimeOffset.UtcNow.AddHours(-4), Guid.NewGuid());

        var asTickets = await history.Buyer.GetAsync($"/api/orders?after={cursor.Encode(ListCursor.Tickets)}");
        var asOrders = await history.Buyer.GetAsync($"/api/orders?limit=3&after={cursor.Encode(ListCursor.Orders)}");

        await asTickets.AssertErrorAsync(HttpStatusCode.BadRequest, field: "after");
        Assert.Equal(HttpStatusCode.OK, asOrders.StatusCode);
        Assert.Contains("rel=\"next\"", asOrders.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_With_Paging_Is401()
    {
        using var anonymous = history.App.CreateUserClient();

        var response = await anonymous.GetAsync("/api/orders?limit=abc");

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized);
    }
}
