using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Orders;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Paging;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Orders;

/// <summary>A buyer's orders, a page at a time, over a history of thousands.</summary>
public sealed class BuyerOrderListTests : IAsyncLifetime
{
    private readonly TicketingApp _app = new();
    private readonly Guid _buyer = Guid.NewGuid();
    private readonly Guid _otherBuyer = Guid.NewGuid();
    private List<Order> _orders = [];

    public async Task InitializeAsync()
    {
        _ = _app.Services;
        var seller = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;

        // 900 placed a second apart, then 300 more placed at one instant: pages must break the tie.
        _orders = await Catalogue.PlaceOrdersAsync(_app.DatabasePath, _buyer, seller, 900, now.AddHours(-2));
        _orders.AddRange(await Catalogue.PlaceOrdersAsync(_app.DatabasePath, _buyer, seller, 300, now.AddHours(-1), TimeSpan.Zero));
        await Catalogue.PlaceOrdersAsync(_app.DatabasePath, _otherBuyer, seller, 400, now.AddMinutes(-30));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData(500)]
    [InlineData(13)]
    public async Task Walk_VisitsEachOfTheBuyersOrdersOnceOldestFirst(int limit)
    {
        var walked = new List<OrderView>();
        ListCursor? after = null;
        do
        {
            var page = await UseAsync(r => r.ListForBuyerAsync(_buyer, after, limit));
            Assert.True(page.Items.Count == limit || page.Next is null);
            walked.AddRange(page.Items);
            after = page.Next;
        }
        while (after is not null);

        Assert.Equal(_orders.Count, walked.Count);
        Assert.True(_orders.Select(o => o.Id).ToHashSet().SetEquals(walked.Select(o => o.Id)));
        Assert.All(walked, o => Assert.Equal(_buyer, o.UserId));
        var placed = _orders.ToDictionary(o => o.Id, o => o.CreatedAt);
        Assert.Equal(walked.Select(o => placed[o.Id]).Order(), walked.Select(o => placed[o.Id]));
    }

    [Fact]
    public async Task Pages_ShowTheBuyersOrdersNewestFirst_EachOnce()
    {
        var shown = new List<OrderView>();
        var first = await UseAsync(r => r.PageForBuyerAsync(_buyer, 1, 20));
        for (var number = 1; number <= first.PageCount; number++)
        {
            var page = await UseAsync(r => r.PageForBuyerAsync(_buyer, number, 20));
            Assert.Equal((number, _orders.Count), (page.Number, page.Total));
            shown.AddRange(page.Items.Select(o => o.Order));
        }

        Assert.Equal(60, first.PageCount);
        Assert.Equal(_orders.Count, shown.Select(o => o.Id).Distinct().Count());
        var placed = _orders.ToDictionary(o => o.Id, o => o.CreatedAt);
        Assert.Equal(shown.Select(o => placed[o.Id]).OrderDescending(), shown.Select(o => placed[o.Id]));
        Assert.All(shown, o => Assert.Equal(_buyer, o.UserId));
        Assert.Equal(_orders[0].TicketTitle, shown[^1].Ticket.Title);
    }

    [Fact]
    public async Task PageNumber_PastTheEnd_ShowsTheLastPage()
    {
        var page = await UseAsync(r => r.PageForBuyerAsync(_buyer, int.MaxValue, 500));

        Assert.Equal((3, 200), (page.Number, page.Items.Count));
        Assert.Equal(_orders[0].Id, page.Items[^1].Order.Id);
    }

    private async Task<T> UseAsync<T>(Func<TicketOrders, Task<T>> read)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<TicketOrders>());
    }
}
