using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.ReliabilityTests.Support;
using Ticketing.Testing;
using Xunit.Abstractions;

namespace Ticketing.ReliabilityTests;

/// <summary>
/// The app is SIGKILLed after Stripe took the money and before the app heard of it: the charge is
/// on Stripe's books only. After the restart the reconciliation job finds it and completes the
/// order, although its window closed while the process was down (the charge started inside it).
/// </summary>
public sealed class PaymentCrashTests(ITestOutputHelper output)
{
    private const int ReservationSeconds = 3;
    private const string WebhookSecret = "whsec_reliability_payment_crash_5a6b";

    [Fact]
    public async Task KilledBetweenTheChargeAndItsSave_TheRestartedAppReconcilesTheCharge()
    {
        var databasePath = TicketingApp.NewDatabasePath();
        await using var stripe = await StripeStub.StartAsync();
        var settings = WebProcess.StripeSettings(stripe.BaseUrl, WebhookSecret);
        var web = await WebProcess.StartAsync(databasePath, ReservationSeconds, settings: settings);
        try
        {
            using var seller = Client(web.BaseAddress);
            using var buyer = Client(web.BaseAddress);
            await SignUpAsync(seller);
            await SignUpAsync(buyer);
            var ticketId = await IdOfAsync(await seller.PostAsJsonAsync("/api/tickets", new { title = "Front row", price = 64.5m }));
            var orderId = await IdOfAsync(await buyer.PostAsJsonAsync("/api/orders", new { ticketId }));
            var hold = stripe.HoldNextConfirmation();

            var paying = buyer.PostAsJsonAsync("/api/payments", new { orderId, token = "pm_card_visa" });
            await hold.Charged.WaitAsync(TimeSpan.FromSeconds(30));
            web.Kill();
            hold.Release();
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => paying);
            var charge = Assert.Single(stripe.Charges);
            Assert.Equal((orderId, 6_450L), (charge.OrderId, charge.Amount));
            Assert.Empty(await Invariants.BrokenAsync(databasePath, settled: false, stripe: null));
            var (_, _, completeBefore, paymentsBefore, _) = await Invariants.CountsAsync(databasePath);
            Assert.Equal((0, 0), (completeBefore, paymentsBefore));

            var port = web.Port;
            await web.DisposeAsync();
            var stopped = DateTimeOffset.UtcNow;
            web = await WebProcess.StartAsync(databasePath, ReservationSeconds, port: port, settings: settings);

            await TicketingApp.WaitUntilAsync(
                async () => (await buyer.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}")).GetProperty("status").GetString() == "complete",
                TimeSpan.FromSeconds(60),
                "the restarted app reconciled the charge");
            output.WriteLine($"reconciled {(DateTimeOffset.UtcNow - stopped).TotalSeconds:0.0} s after the kill (restart included)");
            var ticket = await buyer.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}");
            Assert.Equal(("sold", orderId), (ticket.GetProperty("status").GetString(), ticket.GetProperty("orderId").GetGuid()));
            Assert.Empty(stripe.Refunds);
            Assert.Single(stripe.Charges);
            await TicketingApp.WaitUntilAsync(() => Invariants.IsSettledAsync(databasePath), TimeSpan.FromSeconds(30), "the outbox caught up");
            var broken = await Invariants.BrokenAsync(databasePath, settled: true, stripe);
            Assert.True(broken.Count == 0, string.Join("\n", broken));
            Assert.Equal((1, 1), ((await Invariants.CountsAsync(databasePath)).Complete, (await Invariants.CountsAsync(databasePath)).Payments));
        }
        finally
        {
            await web.DisposeAsync();
            TicketingApp.DeleteDatabase(databasePath);
        }
    }

    private static HttpClient Client(Uri baseAddress) =>
        new(new SocketsHttpHandler { UseCookies = true, CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    private static async Task SignUpAsync(HttpClient client) =>
        (await client.PostAsJsonAsync("/api/users/signup", new { email = $"crash-{Guid.NewGuid():N}@example.com", password = "correct-horse-battery" })).EnsureSuccessStatusCode();

    private static async Task<Guid> IdOfAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
