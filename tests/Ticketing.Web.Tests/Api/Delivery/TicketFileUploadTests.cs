using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Delivery;

/// <summary><c>PUT /api/tickets/{id}/file</c>: what is stored, and that nothing is on any bad input.</summary>
public sealed class TicketFileUploadTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task Upload_Pdf_IsStoredAndDescribed()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        var pdf = SampleTicketFiles.Pdf();

        var response = await seller.SendAsync(DeliveryCalls.Upload(ticket.Id, pdf, fileName: "My seat.pdf"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("My seat.pdf", body.GetProperty("fileName").GetString());
        Assert.Equal("application/pdf", body.GetProperty("contentType").GetString());
        Assert.Equal(pdf.Length, body.GetProperty("size").GetInt32());
        var own = await seller.GetAsync($"/api/tickets/{ticket.Id}/file");
        Assert.Equal(pdf, await own.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Upload_PngDeclaredAsOctetStream_IsKeptAsThePngItIs()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();

        var response = await seller.SendAsync(DeliveryCalls.Upload(ticket.Id, SampleTicketFiles.Png(), "application/octet-stream", "scan.pdf"));

        var body = await response.JsonAsync();
        Assert.Equal(("image/png", "scan.png"), (body.GetProperty("contentType").GetString(), body.GetProperty("fileName").GetString()));
    }

    public static TheoryData<string, byte[], string> DisguisedFiles => new()
    {
        { "a Linux executable named ticket.pdf", SampleTicketFiles.Executable(), "The ticket must be a PDF, PNG or JPEG file; this file's content is none of them" },
        { "a Windows executable with PDF words inside", SampleTicketFiles.WindowsExecutable(), "The ticket must be a PDF, PNG or JPEG file; this file's content is none of them" },
        { "a truncated PDF", SampleTicketFiles.TruncatedPdf(), "The PDF is incomplete or damaged: it does not end the way a PDF does. Upload the original file again." },
        { "an empty body", [], "The file is empty" },
    };

    [Theory]
    [MemberData(nameof(DisguisedFiles))]
    public async Task Upload_BadFile_Is400AndStoresNothing(string what, byte[] content, string message)
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        var before = await DeliveryCalls.StoredAsync(_app);

        var response = await seller.SendAsync(DeliveryCalls.Upload(ticket.Id, content));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, message, "file");
        Assert.True(before == await DeliveryCalls.StoredAsync(_app), what);
    }

    [Fact]
    public async Task Upload_FiftyMegabytes_IsRefusedByTheServerBeforeAnythingIsStored()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        var before = await DeliveryCalls.StoredAsync(_app);
        var huge = new byte[50 * 1024 * 1024];
        SampleTicketFiles.Pdf().CopyTo(huge, 0);

        var response = await seller.SendAsync(DeliveryCalls.Upload(ticket.Id, huge));

        await response.AssertErrorAsync(HttpStatusCode.RequestEntityTooLarge, "The file must be at most 5 MB", "file");
        Assert.Equal(before, await DeliveryCalls.StoredAsync(_app));
    }

    [Fact]
    public async Task Upload_OverTheLimitWithoutContentLength_IsRefusedWhileReading()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        var before = await DeliveryCalls.StoredAsync(_app);
        var request = DeliveryCalls.Upload(ticket.Id, []);
        request.Content = new StreamContent(new MemoryStream(new byte[6 * 1024 * 1024]));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        request.Headers.TransferEncodingChunked = true;

        var response = await seller.SendAsync(request);

        await response.AssertErrorAsync(HttpStatusCode.RequestEntityTooLarge, "The file must be at most 5 MB", "file");
        Assert.Equal(before, await DeliveryCalls.StoredAsync(_app));
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/plain")]
    [InlineData("application/json")]
    public async Task Upload_InATypeAFormCouldSend_Is415(string contentType)
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        var before = await DeliveryCalls.StoredAsync(_app);

        var response = await seller.SendAsync(DeliveryCalls.Upload(ticket.Id, SampleTicketFiles.Pdf(), contentType));

        await response.AssertErrorAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(before, await DeliveryCalls.StoredAsync(_app));
    }

    [Fact]
    public async Task Upload_ByAnyoneButTheSeller_IsRefused()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var (stranger, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();

        var anonymous = await _app.CreateUserClient().SendAsync(DeliveryCalls.Upload(ticket.Id, SampleTicketFiles.Pdf()));
        var someoneElse = await stranger.SendAsync(DeliveryCalls.Upload(ticket.Id, SampleTicketFiles.Pdf()));
        var unknown = await seller.SendAsync(DeliveryCalls.Upload(Guid.NewGuid(), SampleTicketFiles.Pdf()));

        await anonymous.AssertErrorAsync(HttpStatusCode.Unauthorized);
        await someoneElse.AssertErrorAsync(HttpStatusCode.Unauthorized);
        await unknown.AssertErrorAsync(HttpStatusCode.NotFound, "Ticket not found");
        Assert.Equal(HttpStatusCode.NotFound, (await seller.GetAsync($"/api/tickets/{ticket.Id}/file")).StatusCode);
    }

    [Fact]
    public async Task Replace_WhileOnTheMarket_KeepsOnlyTheNewFile()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        await seller.AttachAsync(ticket.Id, SampleTicketFiles.Pdf("first"));
        var before = await DeliveryCalls.StoredAsync(_app);

        await seller.AttachAsync(ticket.Id, SampleTicketFiles.Pdf("second"));

        Assert.Equal(before, await DeliveryCalls.StoredAsync(_app));
        Assert.Equal(SampleTicketFiles.Pdf("second"), await seller.GetByteArrayAsync($"/api/tickets/{ticket.Id}/file"));
    }

    [Fact]
    public async Task Replace_OnceReserved_IsRefused()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var (buyer, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        await seller.AttachAsync(ticket.Id, SampleTicketFiles.Pdf("what the buyer reserved"));
        await buyer.ReserveAsync(ticket.Id);

        var replace = await seller.SendAsync(DeliveryCalls.Upload(ticket.Id, SampleTicketFiles.Pdf("swapped")));
        var remove = await seller.DeleteAsync($"/api/tickets/{ticket.Id}/file");

        await replace.AssertErrorAsync(HttpStatusCode.BadRequest, "A buyer has reserved this ticket: its file can no longer be replaced or removed");
        await remove.AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal(SampleTicketFiles.Pdf("what the buyer reserved"), await seller.GetByteArrayAsync($"/api/tickets/{ticket.Id}/file"));
    }

    [Fact]
    public async Task Attach_AfterTheSale_ReachesTheBuyer_ButCannotBeReplacedThen()
    {
        var (seller, buyer, ticket, order) = await _app.SoldTicketAsync(file: null);

        await seller.AttachAsync(ticket.Id, SampleTicketFiles.Pdf("sent after the sale"));
        var replace = await seller.SendAsync(DeliveryCalls.Upload(ticket.Id, SampleTicketFiles.Pdf("swapped")));

        await replace.AssertErrorAsync(HttpStatusCode.BadRequest, "The ticket is sold: its file can no longer be replaced or removed");
        Assert.Equal(SampleTicketFiles.Pdf("sent after the sale"), await buyer.GetByteArrayAsync($"/api/orders/{order.Id}/ticket"));
    }

    [Fact]
    public async Task OpenApi_DescribesTheDeliveryCalls()
    {
        using var document = JsonDocument.Parse(await _app.CreateClient().GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        Assert.True(paths.GetProperty("/api/tickets/{id}/file").TryGetProperty("put", out _));
        Assert.True(paths.GetProperty("/api/orders/{id}/ticket").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/checkins").TryGetProperty("post", out _));
    }
}
