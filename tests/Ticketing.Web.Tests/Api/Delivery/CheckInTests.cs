using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Delivery;
using Ticketing.Infrastructure.Delivery;
using Ticketing.Infrastructure.Identity;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Delivery;

/// <summary><c>POST /api/checkins</c>: each e-ticket is admitted once, however many scanners race on it.</summary>
public sealed class CheckInTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task CheckIn_ValidCode_AdmitsOnce_ThenSaysWhen()
    {
        var (_, _, ticket, order) = await _app.SoldTicketAsync();
        var scanner = await _app.ScannerAsync();
        var code = await _app.CodeOfAsync(order.Id);

        var first = await scanner.CheckInAsync(code);
        var again = await scanner.CheckInAsync(code.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var admitted = await first.JsonAsync();
        Assert.Equal(order.Id, admitted.GetProperty("orderId").GetGuid());
        Assert.Equal(ticket.Title, admitted.GetProperty("title").GetString());
        var at = admitted.GetProperty("admittedAt").GetDateTimeOffset();
        await again.AssertErrorAsync(HttpStatusCode.Conflict, $"Already admitted at {at.UtcDateTime:HH:mm} UTC");
    }

    /// <summary>
    /// Door staff whose access is taken away are refused from their next scan, not when their cookie
    /// is next revalidated (two minutes by default): the revoke signs the account out everywhere.
    /// </summary>
    [Fact]
    public async Task CheckIn_ByAScannerWhoseAccessWasRevoked_IsRefusedAtOnce_AndChangesNothing()
    {
        var (_, _, _, order) = await _app.SoldTicketAsync();
        var (_, scannerId, email) = await _app.SignUpAsync();
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ScannerRoles>().GrantAsync(email);
        }

        var scanner = _app.CreateUserClient();
        (await scanner.PostAsJsonAsync("/api/users/signin", new { email, password = "correct-horse-battery" })).EnsureSuccessStatusCode();
        var code = await _app.CodeOfAsync(order.Id);
        await (await scanner.CheckInAsync("not-a-code")).AssertErrorAsync(HttpStatusCode.BadRequest);

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ScannerRoles>().RevokeAsync(scannerId);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await scanner.CheckInAsync(code)).StatusCode);
        await using var db = _app.CreateDbContext();
        Assert.Null((await db.Set<ETicket>().SingleAsync(e => e.OrderId == order.Id)).AdmittedAt);
    }

    [Fact]
    public async Task CheckIn_TwentyScannersAtOnceOnOneCode_ExactlyOneAdmits()
    {
        var (_, _, _, order) = await _app.SoldTicketAsync();
        var scanners = new List<HttpClient>();
        for (var i = 0; i < 4; i++)
        {
            scanners.Add(await _app.ScannerAsync());
        }

        var code = await _app.CodeOfAsync(order.Id);
        using var start = new ManualResetEventSlim();
        var scans = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return (await scanners[i % scanners.Count].CheckInAsync(code)).StatusCode;
        })).ToList();
        start.Set();
        var statuses = await Task.WhenAll(scans);

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(19, statuses.Count(s => s == HttpStatusCode.Conflict));
        await using var db = _app.CreateDbContext();
        Assert.NotNull((await db.Set<ETicket>().SingleAsync(e => e.OrderId == order.Id)).AdmittedAt);
    }

    [Fact]
    public async Task CheckIn_ThreeHundredScansAtOnceAcrossAHundredCodes_AdmitEachCodeOnce()
    {
        const int Codes = 100;
        var (seller, _, _) = await _app.SignUpAsync();
        var buyers = new List<HttpClient>();
        for (var i = 0; i < 10; i++)
        {
            buyers.Add((await _app.SignUpAsync()).Client);
        }

        var orders = new List<Guid>();
        for (var i = 0; i < Codes; i++)
        {
            var ticket = await seller.ListTicketAsync($"Festival day pass {i}");
            var buyer = buyers[i % buyers.Count];
            var order = await buyer.ReserveAsync(ticket.Id);
            await buyer.PayAsync(order.Id);
            orders.Add(order.Id);
        }

        var codes = new List<string>();
        foreach (var orderId in orders)
        {
            codes.Add(await _app.CodeOfAsync(orderId));
        }

        var scanners = new List<HttpClient>();
        for (var i = 0; i < 6; i++)
        {
            scanners.Add(await _app.ScannerAsync());
        }

        using var start = new ManualResetEventSlim();
        var scans = Enumerable.Range(0, Codes * 3).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var code = codes[i % Codes];
            return (Code: code, (await scanners[i % scanners.Count].CheckInAsync(code)).StatusCode);
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(scans);

        Assert.All(results, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        Assert.All(results.GroupBy(r => r.Code), g => Assert.Equal(1, g.Count(r => r.StatusCode == HttpStatusCode.OK)));
        await using var db = _app.CreateDbContext();
        Assert.Equal(Codes, await db.Set<ETicket>().CountAsync(e => orders.Contains(e.OrderId) && e.AdmittedAt != null));
    }

    [Fact]
    public async Task CheckIn_RefundedOrdersCode_IsRefused()
    {
        var (_, buyer, _, order) = await _app.SoldTicketAsync();
        var scanner = await _app.ScannerAsync();
        var code = await _app.CodeOfAsync(order.Id);
        string reference;
        long amount;
        await using (var db = _app.CreateDbContext())
        {
            var payment = await db.Payments.SingleAsync(p => p.OrderId == order.Id);
            (reference, amount) = (payment.ProviderReference, payment.AmountMinor);
        }

        var refunded = await _app.CreateClient().DeliverAsync(
            StripeEvents.ChargeRefunded(StripeEvents.NewEventId(), reference, "re_" + Guid.NewGuid().ToString("N"), amount, amount), AppFixture.WebhookSecret);
        Assert.Equal(HttpStatusCode.OK, refunded.StatusCode);
        Assert.Equal("refunded", (await buyer.GetOrderAsync(order.Id)).Status);

        var response = await scanner.CheckInAsync(code);

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "Refused: this ticket is no longer valid, its order was refunded");
        await (await buyer.GetAsync($"/api/orders/{order.Id}/ticket")).AssertErrorAsync(HttpStatusCode.NotFound, "The ticket is delivered once the order is paid");
        await using var after = _app.CreateDbContext();
        Assert.Null((await after.Set<ETicket>().SingleAsync(e => e.OrderId == order.Id)).AdmittedAt);
    }

    [Fact]
    public async Task CheckIn_AlteredOrForgedCode_Is400_AndAdmitsNothing()
    {
        var (_, _, _, order) = await _app.SoldTicketAsync();
        var scanner = await _app.ScannerAsync();
        var code = await _app.CodeOfAsync(order.Id);
        var altered = (code[0] == '7' ? '8' : '7') + code[1..];
        var madeUp = ETicketCode.Create(ETicketCode.NewSerial(), new byte[32]);

        await (await scanner.CheckInAsync(altered)).AssertErrorAsync(HttpStatusCode.BadRequest, "This code was not issued by Ticketing: it is forged or mistyped", "code");
        await (await scanner.CheckInAsync(madeUp)).AssertErrorAsync(HttpStatusCode.BadRequest, "This code was not issued by Ticketing: it is forged or mistyped", "code");
        await (await scanner.CheckInAsync("hello")).AssertErrorAsync(HttpStatusCode.BadRequest, field: "code");
        await (await scanner.PostAsJsonAsync("/api/checkins", new { })).AssertErrorAsync(HttpStatusCode.BadRequest, "Code is required", "code");
        await (await scanner.PostAsJsonAsync("/api/checkins", new { code = 42 })).AssertErrorAsync(HttpStatusCode.BadRequest, field: "code");
        await (await scanner.PostAsync("/api/checkins", ApiCalls.Raw($"{{\"code\":\"{code}\"}}", "text/plain"))).AssertErrorAsync(HttpStatusCode.UnsupportedMediaType);

        await using var db = _app.CreateDbContext();
        Assert.Null((await db.Set<ETicket>().SingleAsync(e => e.OrderId == order.Id)).AdmittedAt);
    }

    [Fact]
    public async Task CheckIn_OurSignatureButNoSuchTicket_Is404()
    {
        var scanner = await _app.ScannerAsync();
        var key = await _app.Services.GetRequiredService<ETicketKeys>().GetAsync();

        var response = await scanner.CheckInAsync(ETicketCode.Create(ETicketCode.NewSerial(), key));

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "No ticket has this code");
    }

    [Fact]
    public async Task CheckIn_IsForScannersAndAdminsOnly()
    {
        var (_, buyer, _, order) = await _app.SoldTicketAsync();
        var code = await _app.CodeOfAsync(order.Id);

        await (await _app.CreateUserClient().CheckInAsync(code)).AssertErrorAsync(HttpStatusCode.Unauthorized);
        await (await buyer.CheckInAsync(code)).AssertErrorAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await (await _app.SignInAdminAsync()).CheckInAsync(code)).StatusCode);
    }
}
