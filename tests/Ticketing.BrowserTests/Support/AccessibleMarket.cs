using System.Net;
using System.Net.Http.Json;
using Ticketing.Domain.Tickets;
using Ticketing.Testing;

namespace Ticketing.BrowserTests.Support;

/// <summary>
/// One app on Kestrel with a market in every state a page can show: a full first page of listings
/// and a second one, and the admin (who signs in to every page that needs an account) selling an
/// available, a reserved and a sold ticket and holding a reserved, a paid and a cancelled order.
/// Shared by the accessibility tests, which only read it.
/// </summary>
public sealed class AccessibleMarket : IAsyncLifetime
{
    public TicketingApp App { get; } = new(kestrel: true, settings: Pages.Settings());

    /// <summary>The admin's own listing, still on sale: its detail, edit and audit pages.</summary>
    public Guid AvailableListing { get; private set; }

    /// <summary>Another seller's listing the admin has reserved.</summary>
    public Guid ReservedTicket { get; private set; }

    public Guid ReservedOrder { get; private set; }

    public Guid PaidOrder { get; private set; }

    public Guid CancelledOrder { get; private set; }

    public async Task InitializeAsync()
    {
        var oldest = DateTimeOffset.UtcNow.AddHours(-2);
        var sellers = await MarketSeed.UsersAsync(App.Services, "market-seller", 5, oldest);
        await MarketSeed.ListingsAsync(App.Services, sellers, 30, oldest, i => TicketDetails.Create(
            $"Gig {i:D2}", 20m + i, eventDate: DateTimeOffset.UtcNow.AddDays(10 + i), venue: i % 2 == 0 ? "O2 Arena" : "Royal Albert Hall"));

        using var admin = await ClientAsync("/api/users/signin", TicketingApp.AdminEmail, TicketingApp.AdminPassword);
        using var seller = await ClientAsync("/api/users/signup", $"seller-{Guid.NewGuid():N}@example.com", Pages.Password);
        using var buyer = await ClientAsync("/api/users/signup", $"buyer-{Guid.NewGuid():N}@example.com", Pages.Password);

        // The admin as a seller: one on sale, one reserved by a buyer, one sold.
        AvailableListing = await ListAsync(admin, "Arctic Monkeys — Seated, block C", 64.50m);
        await ReserveAsync(buyer, await ListAsync(admin, "Radiohead — Floor standing, Friday", 89m));
        var sold = await ReserveAsync(buyer, await ListAsync(admin, "Jazz night at the Barbican", 35m));
        await PayAsync(buyer, sold);

        // The admin as a buyer: one reserved, one paid, one cancelled.
        ReservedTicket = await ListAsync(seller, "Pixies — Standing, Saturday", 55m);
        ReservedOrder = await ReserveAsync(admin, ReservedTicket);
        PaidOrder = await ReserveAsync(admin, await ListAsync(seller, "Proms in the Park", 42m));
        await PayAsync(admin, PaidOrder);
        CancelledOrder = await ReserveAsync(admin, await ListAsync(seller, "Comedy club, late show", 18m));
        (await admin.DeleteAsync($"/api/orders/{CancelledOrder}")).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    /// <summary>A user of the API on the app's real port, with their own cookies.</summary>
    private async Task<HttpClient> ClientAsync(string path, string email, string password)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = App.BaseAddress };
        (await client.PostAsJsonAsync(path, new { email, password })).EnsureSuccessStatusCode();
        return client;
    }

    private static async Task<Guid> ListAsync(HttpClient seller, string title, decimal price)
    {
        var response = await seller.PostAsJsonAsync("/api/tickets", new
        {
            title,
            price,
            eventDate = DateTimeOffset.UtcNow.AddDays(30),
            venue = "O2 Academy Brixton",
            description = "Two steps from the bar, clear view of the stage.",
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IdDto>())!.Id;
    }

    private static async Task<Guid> ReserveAsync(HttpClient buyer, Guid ticketId)
    {
        var response = await buyer.PostAsJsonAsync("/api/orders", new { ticketId });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IdDto>())!.Id;
    }

    private static async Task PayAsync(HttpClient buyer, Guid orderId) =>
        (await buyer.PostAsJsonAsync("/api/payments", new { orderId, token = "tok_visa" })).EnsureSuccessStatusCode();

    private sealed record IdDto(Guid Id);
}
