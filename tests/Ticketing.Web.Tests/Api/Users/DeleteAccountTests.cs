using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Identity;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Users;

/// <summary>
/// <c>DELETE /api/users/currentuser</c>: after the password, the account goes; its reservations are
/// cancelled and its listings withdrawn, what was sold stays in the books as the deleted account's.
/// </summary>
public sealed class DeleteAccountTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Password = "correct-horse-battery";

    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task Delete_WhenAnonymous_Returns401()
    {
        using var client = _app.CreateUserClient();

        var response = await client.DeleteAccountAsync(Password);

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Delete_WithAWrongPassword_Returns400_AndKeepsTheAccount()
    {
        var (client, userId, _) = await _app.SignUpAsync(password: Password);

        var response = await client.DeleteAccountAsync("not-the-password");

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "The password is not right", "password");
        await using var db = _app.CreateDbContext();
        Assert.True(await db.Users.AnyAsync(u => u.Id == userId));
    }

    [Fact]
    public async Task Delete_WithoutAJsonBody_Returns415_AndKeepsTheAccount()
    {
        var (client, userId, _) = await _app.SignUpAsync(password: Password);

        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/users/currentuser") { Content = ApiCalls.Raw("password=x", "application/x-www-form-urlencoded") });

        await response.AssertErrorAsync(HttpStatusCode.UnsupportedMediaType);
        await using var db = _app.CreateDbContext();
        Assert.True(await db.Users.AnyAsync(u => u.Id == userId));
    }

    [Fact]
    public async Task Delete_WithThePassword_Returns204_SignsOut_AndTheAccountIsGone()
    {
        var (client, userId, email) = await _app.SignUpAsync(password: Password);

        var response = await client.DeleteAccountAsync(Password);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await client.GetFromJsonAsync<JsonElement>("/api/users/currentuser")).GetProperty("currentUser").ValueKind);
        using var again = _app.CreateUserClient();
        await (await again.PostAsJsonAsync("/api/users/signin", new { email, password = Password })).AssertErrorAsync(HttpStatusCode.BadRequest, "Invalid credentials");
        await using var db = _app.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.Id == userId));
    }

    [Fact]
    public async Task Delete_CancelsTheAccountsReservations_AndPutsTheirTicketsBackOnSale()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var (buyer, _, _) = await _app.SignUpAsync(password: Password);
        var ticket = await seller.ListTicketAsync();
        var order = await buyer.ReserveAsync(ticket.Id);

        Assert.Equal(HttpStatusCode.NoContent, (await buyer.DeleteAccountAsync(Password)).StatusCode);

        Assert.Equal("available", (await seller.GetTicketAsync(ticket.Id)).Status);
        await using var db = _app.CreateDbContext();
        var kept = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == order.Id);
        Assert.Equal((OrderStatus.Cancelled, CancellationReason.User, DeletedAccount.Id), (kept.Status, kept.CancellationReason, kept.BuyerId));
    }

    [Fact]
    public async Task Delete_WithdrawsTheSellersListings_AndKeepsWhatWasSold()
    {
        var (seller, _, _) = await _app.SignUpAsync(password: Password);
        var (buyer, buyerId, _) = await _app.SignUpAsync();
        var onSale = await seller.ListTicketAsync("On sale");
        var sold = await seller.ListTicketAsync("Sold");
        var order = await buyer.ReserveAsync(sold.Id);
        await buyer.PayAsync(order.Id);

        Assert.Equal(HttpStatusCode.NoContent, (await seller.DeleteAccountAsync(Password)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await buyer.GetAsync($"/api/tickets/{onSale.Id}")).StatusCode);
        var keptSale = await buyer.GetTicketAsync(sold.Id);
        Assert.Equal(("sold", DeletedAccount.Id, order.Id), (keptSale.Status, keptSale.UserId, keptSale.OrderId));
        var buyersOrder = await buyer.GetOrderAsync(order.Id);
        Assert.Equal(("complete", buyerId), (buyersOrder.Status, buyersOrder.UserId));
        await using var db = _app.CreateDbContext();
        Assert.True((await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == onSale.Id)).IsWithdrawn);
    }

    [Fact]
    public async Task Delete_IsRefused_WhileABuyerHoldsOneOfTheSellersTickets()
    {
        var (seller, sellerId, _) = await _app.SignUpAsync(password: Password);
        var (buyer, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        await buyer.ReserveAsync(ticket.Id);
        var before = await DatabaseState.ReadAsync(_app);

        var response = await seller.DeleteAccountAsync(Password);

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, new AccountMustHaveNoReservedListingRule(true).Message);
        Assert.Equal(before, await DatabaseState.ReadAsync(_app));
        Assert.Equal("reserved", (await buyer.GetTicketAsync(ticket.Id)).Status);
        await using var db = _app.CreateDbContext();
        Assert.True(await db.Users.AnyAsync(u => u.Id == sellerId));
    }

    [Fact]
    public async Task Delete_IsRefused_ForAnAdministrator()
    {
        using var admin = await _app.SignInAdminAsync();

        var response = await admin.DeleteAccountAsync(TicketingApp.AdminPassword);

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, new AdministratorMustNotDeleteOwnAccountRule(true).Message);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/users/currentuser")).StatusCode);
    }

    [Fact]
    public async Task AStaleSessionOfADeletedAccount_CannotListReserveOrPay()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var (buyer, buyerId, email) = await _app.SignUpAsync(password: Password);
        var mine = await seller.ListTicketAsync("Mine");
        var order = await buyer.ReserveAsync(mine.Id);
        var other = await seller.ListTicketAsync("Other");

        // A second device keeps its cookie; Identity would only notice at its next revalidation.
        using var device = _app.CreateUserClient();
        Assert.Equal(HttpStatusCode.OK, (await device.PostAsJsonAsync("/api/users/signin", new { email, password = Password })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await buyer.DeleteAccountAsync(Password)).StatusCode);

        var listed = await device.PostAsJsonAsync("/api/tickets", new { title = "After", price = 5m });
        var reserved = await device.PostAsJsonAsync("/api/orders", new { ticketId = other.Id });
        var paid = await device.PostAsJsonAsync("/api/payments", new { orderId = order.Id, token = "tok_visa" });

        await listed.AssertErrorAsync(HttpStatusCode.Unauthorized);
        await reserved.AssertErrorAsync(HttpStatusCode.Unauthorized);
        await paid.AssertErrorAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("available", (await seller.GetTicketAsync(other.Id)).Status);
        await using var db = _app.CreateDbContext();
        Assert.False(await db.Orders.AnyAsync(o => o.BuyerId == buyerId));
        Assert.False(await db.Tickets.AnyAsync(t => t.SellerId == buyerId));
        Assert.False(await db.Payments.AnyAsync(p => p.OrderId == order.Id));
    }
}
