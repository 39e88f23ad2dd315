using System.Net;
using System.Text;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Delivery;

/// <summary><c>GET /api/orders/{id}/ticket</c>: the file reaches the paying buyer, and nobody before or besides.</summary>
public sealed class OrderTicketDownloadTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task File_IsUnreachableBeforeTheSale_ByTheSellersUrl_TheApi_OrAGuessedId()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var (buyer, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        await seller.AttachAsync(ticket.Id, SampleTicketFiles.Pdf());
        var order = await buyer.ReserveAsync(ticket.Id);
        var anonymous = _app.CreateUserClient();

        // The seller's own address, tried by the buyer holding the reservation and by anyone.
        await (await buyer.GetAsync($"/api/tickets/{ticket.Id}/file")).AssertErrorAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.GetAsync($"/api/tickets/{ticket.Id}/file")).AssertErrorAsync(HttpStatusCode.Unauthorized);

        // The buyer's own order, reserved but not paid.
        foreach (var kind in new[] { "", "?kind=file", "?kind=eticket" })
        {
            await (await buyer.GetAsync($"/api/orders/{order.Id}/ticket{kind}")).AssertErrorAsync(HttpStatusCode.NotFound, "The ticket is delivered once the order is paid");
        }

        // Guessed ids, and pages or static paths where a file might have been put.
        await (await buyer.GetAsync($"/api/orders/{Guid.NewGuid()}/ticket")).AssertErrorAsync(HttpStatusCode.NotFound, "Order not found");
        await (await buyer.GetAsync($"/api/orders/{ticket.Id}/ticket")).AssertErrorAsync(HttpStatusCode.NotFound, "Order not found");
        await (await buyer.GetAsync("/api/orders/not-an-id/ticket")).AssertErrorAsync(HttpStatusCode.NotFound);
        await (await buyer.GetAsync($"/api/tickets/{Guid.NewGuid()}/file")).AssertErrorAsync(HttpStatusCode.NotFound);
        foreach (var path in new[] { $"/ticket-files/{ticket.Id}", $"/App_Data/ticket-files/{ticket.Id}", "/App_Data/ticketing.db", $"/files/{ticket.Id}.pdf" })
        {
            var response = await anonymous.GetAsync(path);
            Assert.NotEqual("application/pdf", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("%PDF", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Buyer_AfterPaying_DownloadsTheSellersFile()
    {
        var pdf = SampleTicketFiles.Pdf("Seat 12, row F");
        var (_, buyer, _, order) = await _app.SoldTicketAsync(pdf);

        var response = await buyer.GetAsync($"/api/orders/{order.Id}/ticket");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("no-store, private", string.Join(", ", response.Headers.CacheControl!.ToString().Split(", ").Order()));
        Assert.Equal(pdf, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(pdf, await buyer.GetByteArrayAsync($"/api/orders/{order.Id}/ticket?kind=file"));
    }

    [Fact]
    public async Task Stranger_Gets401_AndAnonymous401_AdminMayDownload()
    {
        var (_, _, _, order) = await _app.SoldTicketAsync(SampleTicketFiles.Png());
        var (stranger, _, _) = await _app.SignUpAsync();
        var admin = await _app.SignInAdminAsync();

        await (await stranger.GetAsync($"/api/orders/{order.Id}/ticket")).AssertErrorAsync(HttpStatusCode.Unauthorized);
        await (await stranger.GetAsync($"/api/orders/{order.Id}/ticket?kind=eticket")).AssertErrorAsync(HttpStatusCode.Unauthorized);
        await (await _app.CreateUserClient().GetAsync($"/api/orders/{order.Id}/ticket")).AssertErrorAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(SampleTicketFiles.Png(), await admin.GetByteArrayAsync($"/api/orders/{order.Id}/ticket"));
    }

    [Fact]
    public async Task ListingWithoutFile_DeliversTheETicket_WithTheCodeOrderIdAndTitleInWords()
    {
        var (_, buyer, ticket, order) = await _app.SoldTicketAsync(file: null);

        var response = await buyer.GetAsync($"/api/orders/{order.Id}/ticket");
        var svg = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("sandbox", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains(await _app.CodeOfAsync(order.Id), svg, StringComparison.Ordinal);
        Assert.Contains($"Order {order.Id}", svg, StringComparison.Ordinal);
        Assert.Contains(ticket.Title, svg, StringComparison.Ordinal);
        await (await buyer.GetAsync($"/api/orders/{order.Id}/ticket?kind=file")).AssertErrorAsync(HttpStatusCode.NotFound, "The seller has not attached the ticket file yet");
        await (await buyer.GetAsync($"/api/orders/{order.Id}/ticket?kind=zip")).AssertErrorAsync(HttpStatusCode.BadRequest, "Kind must be file or eticket", "kind");
    }

    [Fact]
    public async Task ETicket_EscapesWhatTheSellerWrote()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var (buyer, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync("<script>alert(1)</script> & \"friends\"");
        var order = await buyer.ReserveAsync(ticket.Id);
        await buyer.PayAsync(order.Id);

        var svg = await buyer.GetStringAsync($"/api/orders/{order.Id}/ticket?kind=eticket");

        Assert.DoesNotContain("<script>", svg, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", svg, StringComparison.Ordinal);
        Assert.Contains("&amp;", svg, StringComparison.Ordinal);
    }
}
