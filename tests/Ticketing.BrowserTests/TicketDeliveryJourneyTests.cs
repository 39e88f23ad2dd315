using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Ticketing.BrowserTests.Support;
using Ticketing.Domain.Delivery;
using Ticketing.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests;

/// <summary>
/// The whole of delivery in a real browser: a seller lists with a PDF, a buyer pays and downloads it,
/// and the QR code read off the buyer's screen is admitted once at the door.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TicketDeliveryJourneyTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly BrowserSession _session = new(browser, Pages.Settings());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task ListWithPdf_Buy_Download_ScanTheETicket_AdmittedOnce()
    {
        var pdf = SampleTicketFiles.Pdf("Row F, seat 12");

        // The seller first picks a renamed executable, which the form refuses, then the real PDF.
        var seller = await _session.NewPageAsync();
        await Pages.RegisterAsync(seller);
        await Pages.GoToInteractiveAsync(seller, "/tickets/new");
        await seller.Locator("[data-field=title] input, input[data-field=title]").First.FillAsync("Massive Attack — Standing, Saturday");
        await seller.Locator("[data-field=price] input, input[data-field=price]").First.FillAsync("72.00");
        var fileInput = seller.Locator("input[type=file][data-input=ticket-file]");

        // Blazor's InputFile listens for the pick once its script has run after the first render; a
        // person cannot pick a file sooner, a test can.
        await seller.WaitForFunctionAsync("el => el._blazorInputFileNextFileId !== undefined", await fileInput.ElementHandleAsync());
        await fileInput.SetInputFilesAsync(new FilePayload { Name = "ticket.pdf", MimeType = "application/pdf", Buffer = SampleTicketFiles.Executable() });
        await Expect(seller.Locator("[data-file-error]")).ToContainTextAsync("must be a PDF, PNG or JPEG");
        await fileInput.SetInputFilesAsync(new FilePayload { Name = "massive-attack.pdf", MimeType = "application/pdf", Buffer = pdf });
        await Expect(seller.Locator("[data-picked-file='massive-attack.pdf']")).ToBeVisibleAsync();
        await seller.Locator("[data-action=save]").ClickAsync();
        await Expect(seller).ToHaveURLAsync(new Regex(@"/tickets/[0-9a-f-]{36}$"));
        var ticketId = Guid.Parse((await seller.Locator(".detail-grid[data-ticket-id]").GetAttributeAsync("data-ticket-id"))!);

        // The buyer sees instant delivery promised, buys and pays; the order page shows the ticket as it flips to paid.
        var buyer = await _session.NewPageAsync();
        await Pages.RegisterAsync(buyer);
        await Pages.GoToInteractiveAsync(buyer, $"/tickets/{ticketId}");
        await Expect(buyer.Locator("[data-delivery=file]")).ToBeVisibleAsync();
        var orderId = await Pages.PurchaseAsync(buyer, ticketId);
        await Pages.WaitInteractiveAsync(buyer);
        await Expect(buyer.Locator("[data-order-ticket]")).ToHaveCountAsync(0);
        await buyer.GetByRole(AriaRole.Button, new() { Name = "Pay", Exact = true }).ClickAsync();
        await Expect(buyer.Locator($"[data-order-id='{orderId}']")).ToHaveAttributeAsync("data-order-status", "complete");
        await Expect(buyer.Locator("[data-ticket-file='massive-attack.pdf']")).ToBeVisibleAsync();

        var download = await buyer.RunAndWaitForDownloadAsync(() => buyer.Locator("[data-action=download-file]").ClickAsync());
        Assert.Equal("massive-attack.pdf", download.SuggestedFilename);
        await using (var stream = await download.CreateReadStreamAsync())
        using (var copy = new MemoryStream())
        {
            await stream.CopyToAsync(copy);
            Assert.Equal(pdf, copy.ToArray());
        }

        // The e-ticket's QR code, decoded from what the buyer's screen shows, carries the printed code.
        var image = buyer.Locator("img[data-eticket-image]");
        await Expect(image).ToBeVisibleAsync();
        await buyer.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await image.ElementHandleAsync());
        var scanned = QrCodes.Decode(await image.ScreenshotAsync());
        var printed = (await buyer.Locator("[data-eticket-code]").InnerTextAsync()).Trim();
        Assert.Equal(printed.Replace("-", string.Empty, StringComparison.Ordinal), scanned);
        await Expect(buyer.Locator("[data-eticket-order]")).ToHaveTextAsync(orderId.ToString());
        await Expect(buyer.Locator("[data-eticket]")).ToContainTextAsync("Massive Attack — Standing, Saturday");
        await Screenshots.CaptureAsync(buyer, "e-ticket");

        // An admin makes the door person a scanner; they sign in and open /scan.
        var doorAccount = await _session.NewPageAsync();
        var doorEmail = await Pages.RegisterAsync(doorAccount);
        var admin = await _session.NewPageAsync();
        await Pages.SignInAsync(admin, TicketingApp.AdminEmail, TicketingApp.AdminPassword);
        await Pages.GoToInteractiveAsync(admin, "/admin");
        await admin.Locator("[data-field=scanner-email] input, input[data-field=scanner-email]").First.FillAsync(doorEmail);
        await admin.Locator("[data-action=grant-scanner]").ClickAsync();
        await Expect(admin.Locator($"[data-scanner='{doorEmail}']")).ToBeVisibleAsync();

        var door = await _session.NewPageAsync(width: 390, height: 844);
        await Pages.SignInAsync(door, doorEmail, Pages.Password);
        await Pages.GoToInteractiveAsync(door, "/scan");
        await Expect(door.Locator("[data-camera], [data-scan-video], [data-action=start-camera]").First).ToBeAttachedAsync();

        await door.Locator("[data-field=code] input, input[data-field=code]").First.FillAsync(scanned);
        await door.Locator("[data-action=check-in]").ClickAsync();
        var outcome = door.Locator("[data-checkin-outcome]");
        await Expect(outcome).ToHaveAttributeAsync("data-checkin-outcome", "admitted");
        await Expect(outcome).ToContainTextAsync("Massive Attack — Standing, Saturday");
        await Screenshots.CaptureAsync(door, "scan");

        // The same code again: refused, saying when it was admitted (the browser's zone here is UTC).
        await door.Locator("[data-field=code] input, input[data-field=code]").First.FillAsync(printed);
        await door.Locator("[data-action=check-in]").ClickAsync();
        await Expect(outcome).ToHaveAttributeAsync("data-checkin-outcome", "alreadyadmitted");
        DateTimeOffset admittedAt;
        await using (var db = _session.App.CreateDbContext())
        {
            admittedAt = (await db.Set<ETicket>().SingleAsync(e => e.OrderId == orderId)).AdmittedAt!.Value;
        }

        await Expect(outcome).ToContainTextAsync($"Already admitted at {admittedAt.UtcDateTime:HH:mm}");

        // The buyer's order page shows the admission.
        await Pages.GoToInteractiveAsync(buyer, $"/orders/{orderId}");
        await Expect(buyer.Locator("[data-admitted]")).ToContainTextAsync($"Admitted at {admittedAt.UtcDateTime:HH:mm}");
    }
}
