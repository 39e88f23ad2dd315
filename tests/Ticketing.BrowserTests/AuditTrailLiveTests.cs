using System.Net.Http.Json;
using Ticketing.BrowserTests.Support;
using Ticketing.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class AuditTrailLiveTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly BrowserSession _session = new(browser, Pages.Settings());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task An_open_order_history_shows_each_new_step_as_it_happens_and_names_the_admin_who_refunded()
    {
        using var seller = await SignUpAsync();
        using var buyer = await SignUpAsync();
        var ticket = await (await seller.PostAsJsonAsync("/api/tickets", new { title = "Watched gig", price = 55 })).Content.ReadFromJsonAsync<IdDto>();
        var order = await (await buyer.PostAsJsonAsync("/api/orders", new { ticketId = ticket!.Id })).Content.ReadFromJsonAsync<IdDto>();

        var history = await _session.NewPageAsync();
        await Pages.SignInAsync(history, TicketingApp.AdminEmail, TicketingApp.AdminPassword);
        await Pages.GoToInteractiveAsync(history, $"/admin/orders/{order!.Id}/audit");
        var steps = history.Locator("[data-audit-step]");
        await Expect(steps).ToHaveCountAsync(1);
        await Expect(steps.Nth(0)).ToHaveAttributeAsync("data-audit-step", "Reserved");
        await Pages.MarkWindowAsync(history);

        // The buyer pays through the API: the open page shows the steps without reloading.
        (await buyer.PostAsJsonAsync("/api/payments", new { orderId = order.Id, token = "tok_visa" })).EnsureSuccessStatusCode();
        await Expect(steps).ToHaveCountAsync(3);
        await Expect(steps.Nth(2)).ToHaveAttributeAsync("data-audit-step", "Paid");
        await Expect(steps.Nth(2)).ToHaveAttributeAsync("data-audit-actor", "Gateway");
        await Expect(history.Locator("[data-status-chip]")).ToContainTextAsync("Paid");

        // Another tab: the admin refunds the order from the dashboard.
        var dashboard = await _session.NewPageAsync();
        await Pages.SignInAsync(dashboard, TicketingApp.AdminEmail, TicketingApp.AdminPassword);
        await Pages.GoToInteractiveAsync(dashboard, "/admin");
        var row = dashboard.Locator("tr", new() { Has = dashboard.Locator($"[data-order-id='{order.Id}']") });
        await row.Locator("[data-action=refund]").ClickAsync();
        await dashboard.Locator("textarea[data-refund-reason-input], [data-refund-reason-input] textarea").First.FillAsync("Venue closed");
        await dashboard.Locator("[data-refund-confirm]").ClickAsync();
        await Expect(dashboard.Locator($"[data-order-id='{order.Id}']")).ToHaveAttributeAsync("data-order-status", "refunded");

        await Expect(steps).ToHaveCountAsync(5);
        await Expect(steps.Nth(3)).ToHaveAttributeAsync("data-audit-step", "Refunded");
        await Expect(steps.Nth(3)).ToHaveAttributeAsync("data-audit-actor", "Admin");
        var refundedRow = history.Locator("tr", new() { Has = history.Locator("[data-audit-step=Refunded]") });
        await Expect(refundedRow).ToContainTextAsync(TicketingApp.AdminEmail);
        await Expect(refundedRow).ToContainTextAsync("Venue closed");
        await Expect(steps.Nth(4)).ToHaveAttributeAsync("data-audit-step", "MoneyReturned");
        await Pages.AssertNotReloadedAsync(history);
    }

    /// <summary>A user of the API on the app's real port, with their own cookies.</summary>
    private async Task<HttpClient> SignUpAsync()
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = _session.App.BaseAddress };
        (await client.PostAsJsonAsync("/api/users/signup", new { email = $"api-{Guid.NewGuid():N}@example.com", password = Pages.Password })).EnsureSuccessStatusCode();
        return client;
    }

    private sealed record IdDto(Guid Id);
}
