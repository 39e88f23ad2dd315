using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Identity;
using Ticketing.Domain.Tickets;
using Ticketing.Testing;
using Xunit.Abstractions;

namespace Ticketing.Web.Tests.Api.Users;

/// <summary>
/// "Download my data" and "delete my account" for an account with a long history: 2,000 listings
/// and 1,000 orders, beside another seller's market.
/// </summary>
public sealed class DownloadMyDataTests(ApiFixture fixture, ITestOutputHelper output) : IClassFixture<ApiFixture>
{
    private const string Password = "correct-horse-battery";
    private const int Listings = 2_000;
    private const int Orders = 1_000;

    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task Download_WhenAnonymous_Returns401()
    {
        using var client = _app.CreateUserClient();

        var response = await client.GetAsync("/api/users/currentuser/data");

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Download_HoldsTheAccountAndAllItsListingsOrdersAndPayments_AndNothingOfAnyoneElse()
    {
        var (ada, adaId, email) = await _app.SignUpAsync(password: Password);
        var (other, otherId, _) = await _app.SignUpAsync();
        var now = DateTimeOffset.UtcNow;
        await Catalogue.ListTicketsAsync(_app.DatabasePath, adaId, Listings, now.AddMinutes(-30));
        await Catalogue.ListTicketsAsync(_app.DatabasePath, otherId, 500, now.AddMinutes(-30));
        var orders = await Catalogue.PlaceOrdersAsync(_app.DatabasePath, adaId, otherId, Orders, now.AddMinutes(-1));
        await ada.PayAsync(orders[^1].Id);
        await other.ReserveAsync((await ada.ListTicketAsync("Listed today")).Id);

        var stopwatch = Stopwatch.StartNew();
        var response = await ada.GetAsync("/api/users/currentuser/data", HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync();
        output.WriteLine($"{body.Length / 1024} KB in {stopwatch.ElapsedMilliseconds} ms");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var account = root.GetProperty("account");
        Assert.Equal((adaId, email, false), (account.GetProperty("id").GetGuid(), account.GetProperty("email").GetString(), account.GetProperty("emailConfirmed").GetBoolean()));
        Assert.EndsWith("Z", root.GetProperty("exportedAt").GetString(), StringComparison.Ordinal);

        var listings = root.GetProperty("listings").EnumerateArray().ToList();
        Assert.Equal(Listings + 1, listings.Count);
        Assert.Equal(Listings + 1, listings.Select(l => l.GetProperty("id").GetGuid()).Distinct().Count());
        Assert.Single(listings, l => l.GetProperty("status").GetString() == "reserved");

        var exportedOrders = root.GetProperty("orders").EnumerateArray().ToList();
        Assert.Equal(orders.Select(o => o.Id).Order(), exportedOrders.Select(o => o.GetProperty("id").GetGuid()).Order());
        Assert.Equal(Orders - 1, exportedOrders.Count(o => o.GetProperty("status").GetString() == "cancelled" && o.GetProperty("cancellationReason").GetString() == "user"));
        Assert.Single(exportedOrders, o => o.GetProperty("status").GetString() == "complete");

        var payment = Assert.Single(root.GetProperty("payments").EnumerateArray());
        Assert.Equal((orders[^1].Id, orders[^1].Price, "succeeded"), (payment.GetProperty("orderId").GetGuid(), payment.GetProperty("amount").GetDecimal(), payment.GetProperty("status").GetString()));
        Assert.DoesNotContain(otherId.ToString(), body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Delete_OfAnAccountWithThousandsOfListingsAndOrders_HandsThemAllOver()
    {
        var (ada, adaId, email) = await _app.SignUpAsync(password: Password);
        var (_, otherId, _) = await _app.SignUpAsync();
        var now = DateTimeOffset.UtcNow;
        await Catalogue.ListTicketsAsync(_app.DatabasePath, adaId, Listings, now.AddMinutes(-30));
        await Catalogue.PlaceOrdersAsync(_app.DatabasePath, adaId, otherId, Orders, now.AddMinutes(-1));

        var stopwatch = Stopwatch.StartNew();
        var response = await ada.DeleteAccountAsync(Password);
        output.WriteLine($"Deleted an account with {Listings} listings and {Orders} orders in {stopwatch.ElapsedMilliseconds} ms");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await using var db = _app.CreateDbContext();
        Assert.False(await db.Tickets.AnyAsync(t => t.SellerId == adaId));
        Assert.False(await db.Orders.AnyAsync(o => o.BuyerId == adaId));
        Assert.Equal(Listings, await db.Tickets.CountAsync(t => t.SellerId == DeletedAccount.Id && t.IsWithdrawn && t.Status == TicketStatus.Available));
        Assert.True(await db.Orders.CountAsync(o => o.BuyerId == DeletedAccount.Id) >= Orders);
        Assert.Empty(await DatabaseScan.FindAsync(_app.DatabasePath, adaId.ToString(), email));

        // The other seller's tickets, one of which Ada held, are all on sale again.
        Assert.Equal(Orders, await db.Tickets.CountAsync(t => t.SellerId == otherId && t.Status == TicketStatus.Available && !t.IsWithdrawn));
    }
}
