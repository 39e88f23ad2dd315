using Microsoft.Playwright;
using Ticketing.BrowserTests.Support;
using Ticketing.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class MarketplaceJourneyTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly BrowserSession _session = new(browser, Pages.Settings());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task Seller_lists_buyer_reserves_watcher_sees_it_live_buyer_pays_and_seller_sees_sold()
    {
        // The seller signs up on the register page and lists a ticket on the sell page.
        var seller = await _session.NewPageAsync();
        await Pages.RegisterAsync(seller);
        var title = $"Floor standing {Guid.NewGuid():N}"[..24];
        var ticketId = await Pages.SellAsync(seller, title, "42.50");

        // A watcher, signed out, has the home page open and sees the card.
        var watcher = await _session.NewPageAsync();
        await Pages.GoToInteractiveAsync(watcher, "/");
        var card = watcher.Locator($"[data-ticket-id='{ticketId}']");
        await Expect(card).ToHaveAttributeAsync("data-status", "available");
        await Expect(card).ToContainTextAsync(title);
        await Pages.MarkWindowAsync(watcher);

        // A buyer signs up in a third context and purchases the ticket.
        var buyer = await _session.NewPageAsync();
        await Pages.RegisterAsync(buyer);
        var orderId = await Pages.PurchaseAsync(buyer, ticketId);

        // The watcher's card turns reserved live, without a reload.
        await Expect(card).ToHaveAttributeAsync("data-status", "reserved");
        await Expect(card).ToContainTextAsync("Reserved");
        await Pages.AssertNotReloadedAsync(watcher);

        // The buyer pays with the Visa test card.
        await Pages.WaitInteractiveAsync(buyer);
        await buyer.GetByText("Visa •••• 4242").ClickAsync();
        await buyer.GetByRole(AriaRole.Button, new() { Name = "Pay", Exact = true }).ClickAsync();
        var order = buyer.Locator($"[data-order-id='{orderId}'][data-order-status]");
        await Expect(order).ToHaveAttributeAsync("data-order-status", "complete");
        await Expect(buyer.Locator("[data-paid]")).ToBeVisibleAsync();

        // The watcher sees it sold, still without a reload; the seller's listings say sold.
        await Expect(card).ToHaveAttributeAsync("data-status", "sold");
        await Pages.AssertNotReloadedAsync(watcher);

        await Pages.GoToInteractiveAsync(seller, "/my/listings");
        var row = seller.Locator($".listing-row[data-ticket-id='{ticketId}']");
        await Expect(row).ToHaveAttributeAsync("data-status", "sold");
        await Expect(row.Locator("[data-field=live-status]")).ToContainTextAsync("Sold");
    }
}
