using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Ticketing.BrowserTests.Support;
using Ticketing.Domain.Tickets;
using Ticketing.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

/// <summary>
/// A tab loses its connection for a while (a lost network, a tunnel, a closed lid) and gets it back
/// within the circuit's retention period: the page comes back to the same circuit, without reloading,
/// and shows what happened while it was away. The browser reaches the app through a
/// <see cref="NetworkLine"/> that the test cuts: its reconnection attempts fail until it is restored.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DroppedConnectionTests(BrowserFixture browser) : IAsyncLifetime
{
    /// <summary>Blazor retries at once ten times, then every 5 s: back within one of those, with room for two busy cores.</summary>
    private static readonly LocatorAssertionsToHaveAttributeOptions BackSoon = new() { Timeout = 20_000 };

    private static readonly Regex SignInPage = new("/account/login");

    private BrowserSession? _session;
    private NetworkLine? _line;
    private List<Ticket> _oldestFirst = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
        }

        if (_line is not null)
        {
            await _line.DisposeAsync();
        }
    }

    /// <summary>
    /// Kept: the server holds the circuit while the tab is away (the default, up to three minutes) and
    /// sends the renders it missed. Not kept (none may wait, as after the three minutes or when too
    /// many tabs are away): the tab resumes a new circuit from the state the old one left.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_tab_whose_connection_dropped_shows_the_reservations_made_meanwhile_once_it_is_back_without_reloading(bool circuitKept)
    {
        var (session, line) = await StartAsync(circuitKept);
        var page = await session.NewPageAsync(line: line);
        var circuit = CircuitWatch.On(page);
        await Pages.GoToInteractiveAsync(page, "/");
        await Expect(page.Locator(".ticket-grid[data-state=loaded] [data-ticket-id]")).ToHaveCountAsync(24);
        await Pages.MarkWindowAsync(page);
        var newest = _oldestFirst[^1];
        var another = _oldestFirst[^7];
        var first = Card(page, newest.Id);
        var second = Card(page, another.Id);
        await Expect(first).ToHaveAttributeAsync("data-status", "available");
        await Expect(second).ToHaveAttributeAsync("data-status", "available");

        line.Cut();
        await circuit.DroppedAsync(TimeSpan.FromSeconds(10));
        var buyer = await SignUpAsync();
        (await buyer.PostAsJsonAsync("/api/orders", new { ticketId = newest.Id })).EnsureSuccessStatusCode();
        (await buyer.PostAsJsonAsync("/api/orders", new { ticketId = another.Id })).EnsureSuccessStatusCode();

        // Cut off, the page cannot have heard: it still shows both available.
        await Task.Delay(TimeSpan.FromSeconds(1));
        await Expect(first).ToHaveAttributeAsync("data-status", "available");
        await Expect(second).ToHaveAttributeAsync("data-status", "available");

        line.Restore();
        await Expect(first).ToHaveAttributeAsync("data-status", "reserved", BackSoon);
        await Expect(second).ToHaveAttributeAsync("data-status", "reserved", BackSoon);
        await Expect(page.Locator("#components-reconnect-modal")).Not.ToBeVisibleAsync();
        await Pages.AssertNotReloadedAsync(page);

        // And it is live again: the next change arrives as it happens.
        var third = Card(page, _oldestFirst[^3].Id);
        (await buyer.PostAsJsonAsync("/api/orders", new { ticketId = _oldestFirst[^3].Id })).EnsureSuccessStatusCode();
        await Expect(third).ToHaveAttributeAsync("data-status", "reserved");
    }

    [Fact]
    public async Task A_tab_signed_out_while_its_connection_was_down_goes_to_the_sign_in_page_once_it_is_back()
    {
        var (session, line) = await StartAsync(circuitKept: true);
        var ordersTab = await session.NewPageAsync(line: line);
        var email = await Pages.RegisterAsync(ordersTab);
        var circuit = CircuitWatch.On(ordersTab);
        await Pages.GoToInteractiveAsync(ordersTab, "/orders");
        await Expect(ordersTab.Locator("[data-user-email]").First).ToBeAttachedAsync();

        line.Cut();
        await circuit.DroppedAsync(TimeSpan.FromSeconds(10));

        // A new password, set in another browser, signs every tab of the account out.
        var otherBrowser = await session.NewPageAsync();
        await Pages.SignInAsync(otherBrowser, email, Pages.Password);
        await Pages.ChangePasswordAsync(otherBrowser, Pages.Password, "a-brand-new-passphrase");

        await Task.Delay(TimeSpan.FromSeconds(2));
        await Expect(ordersTab).ToHaveURLAsync(new Regex("/orders$"));

        line.Restore();
        await Expect(ordersTab).ToHaveURLAsync(SignInPage, new() { Timeout = BackSoon.Timeout });
        await Expect(ordersTab.Locator("[data-action=sign-in]").First).ToBeVisibleAsync();
        await Expect(ordersTab.Locator("[data-user-email]")).ToHaveCountAsync(0);
    }

    private async Task<(BrowserSession Session, NetworkLine Line)> StartAsync(bool circuitKept)
    {
        _session = new BrowserSession(browser, Pages.Settings(), services: circuitKept
            ? null
            : s => s.Configure<CircuitOptions>(o => o.DisconnectedCircuitMaxRetained = 0));
        _line = new NetworkLine(_session.App.BaseAddress);
        _oldestFirst = await Catalogue.ListTicketsAsync(_session.App.DatabasePath, Guid.NewGuid(), 30, DateTimeOffset.UtcNow.AddHours(-1));
        return (_session, _line);
    }

    private static ILocator Card(IPage page, Guid ticketId) => page.Locator($".ticket-grid [data-ticket-id='{ticketId}']");

    private async Task<HttpClient> SignUpAsync()
    {
        var client = _session!.App.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = _session.App.BaseAddress, HandleCookies = true });
        (await client.PostAsJsonAsync("/api/users/signup", new { email = $"user-{Guid.NewGuid():N}@example.com", password = Pages.Password })).EnsureSuccessStatusCode();
        return client;
    }
}
