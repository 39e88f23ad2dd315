using Ticketing.BrowserTests.Support;
using Ticketing.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class AdminEditTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly BrowserSession _session = new(browser, Pages.Settings());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task Admin_edits_a_listing_price_inline_and_the_ticket_page_shows_the_new_price()
    {
        var seller = await _session.NewPageAsync();
        await Pages.RegisterAsync(seller);
        var ticketId = await Pages.SellAsync(seller, "Admin edits me", "42.50");
        await Expect(seller.Locator(".detail-price[data-field=price]")).ToHaveTextAsync("$42.50");
        await Pages.WaitInteractiveAsync(seller);
        await Pages.MarkWindowAsync(seller);

        // The admin signs in on the login page and edits the price in the listings grid.
        var admin = await _session.NewPageAsync();
        await Pages.SignInAsync(admin, TicketingApp.AdminEmail, TicketingApp.AdminPassword);
        await Pages.GoToInteractiveAsync(admin, "/admin");
        var listing = admin.Locator($"[data-listing-id='{ticketId}']");
        await Expect(listing).ToHaveAttributeAsync("data-listing-status", "available");
        var row = admin.Locator("tr", new() { Has = listing });
        await row.Locator("[data-action=edit]").ClickAsync();

        var price = admin.Locator("input[data-edit-price], [data-edit-price] input").First;
        await Expect(price).ToBeVisibleAsync();
        await price.FillAsync("77.25");
        await admin.Locator("[data-action=save]").ClickAsync();

        // The grid leaves edit mode with the new price.
        await Expect(listing).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("$77.25");

        // The seller's open ticket page follows live, and a fresh visit shows the new price too.
        await Expect(seller.Locator(".detail-price[data-field=price]")).ToHaveTextAsync("$77.25");
        await Pages.AssertNotReloadedAsync(seller);

        var visitor = await _session.NewPageAsync();
        await visitor.GotoAsync($"/tickets/{ticketId}");
        await Expect(visitor.Locator(".detail-price[data-field=price]")).ToHaveTextAsync("$77.25");
    }
}
