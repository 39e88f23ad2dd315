using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Payments;

/// <summary>Stripe configured but unreachable: nothing listens at its address.</summary>
public sealed class UnreachableStripeFixture() : AppFixture(("Stripe:SecretKey", "sk_test_unreachable"), ("Stripe:ApiBase", "http://127.0.0.1:9"));

public sealed class UnreachableProviderPaymentTests(UnreachableStripeFixture fixture) : IClassFixture<UnreachableStripeFixture>
{
    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task Pay_WhenTheProviderCannotBeReached_Returns503_ChargesNothing_AndTheOrderStaysPayable()
    {
        var (_, buyer, ticket, order) = await _app.ReservedTicketAsync();

        var response = await buyer.PostAsJsonAsync("/api/payments", new { orderId = order.Id, token = "pm_card_visa" });

        await response.AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "The payment provider could not be reached. Nothing was charged; please try again.");
        var payable = await buyer.GetOrderAsync(order.Id);
        Assert.Equal(("created", 2), (payable.Status, payable.Version));
        Assert.Equal("reserved", (await buyer.GetTicketAsync(ticket.Id)).Status);
        await using var db = _app.CreateDbContext();
        Assert.False(await db.Payments.AnyAsync(p => p.OrderId == order.Id));
    }
}
