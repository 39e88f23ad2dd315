using System.Text.RegularExpressions;
using Ticketing.BrowserTests.Support;
using Ticketing.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class OrderExpiryTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly BrowserSession _session = new(browser, Pages.Settings(("Ordering:ReservationSeconds", "3")));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task Unpaid_order_with_a_three_second_window_expires_on_screen_without_reload()
    {
        var seller = await _session.NewPageAsync();
        await Pages.RegisterAsync(seller);
        var ticketId = await Pages.SellAsync(seller, "Short hold", "10");

        var buyer = await _session.NewPageAsync();
        await Pages.RegisterAsync(buyer);
        var orderId = await Pages.PurchaseAsync(buyer, ticketId);
        await Pages.WaitInteractiveAsync(buyer);
        await Pages.MarkWindowAsync(buyer);

        // The countdown runs out and the expiry job cancels the order; the page follows live.
        var order = buyer.Locator($"[data-order-id='{orderId}'][data-order-status]");
        await Expect(buyer.Locator("[data-countdown]").First).ToHaveTextAsync("Expired");
        await Expect(order).ToHaveAttributeAsync("data-order-status", "cancelled");
        await Expect(buyer.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Pay", Exact = true })).ToHaveCountAsync(0);
        await Expect(buyer).ToHaveURLAsync(new Regex($"/orders/{orderId}$"));
        await Pages.AssertNotReloadedAsync(buyer);

        // The ticket is back on sale for everyone.
        var watcher = await _session.NewPageAsync();
        await Pages.GoToInteractiveAsync(watcher, "/");
        await Expect(watcher.Locator($"[data-ticket-id='{ticketId}']")).ToHaveAttributeAsync("data-status", "available");
    }
}
