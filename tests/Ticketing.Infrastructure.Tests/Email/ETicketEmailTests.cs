using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Delivery;
using Ticketing.Infrastructure.Email;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Testing;
using ZXing;
using ZXing.Common;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Infrastructure.Tests.Email;

/// <summary>
/// The e-ticket by e-mail, as a real SMTP server receives it: its code in words, a QR code drawn as
/// an HTML table that a reader decodes to that same code, and the code admits at the door.
/// </summary>
public sealed partial class ETicketEmailTests : MailboxTests
{
    [Fact]
    public async Task Pay_EmailsTheBuyerTheETicket_WhoseQrCodeReadsAsTheCodeTheDoorAdmits()
    {
        var (sellerId, seller) = await App.NewUserAsync("seller");
        var (buyerId, buyer) = await App.NewUserAsync("buyer");
        var ticket = await App.Services.ListTicketAsync(sellerId, 40m, "Jazz night");
        var order = await App.Services.ReserveAsync(buyerId, ticket.Id);

        await App.Services.PayAsync(buyerId, order.Id, "tok_visa");

        var email = Assert.Single(await Sink.WaitForAsync(m => m.Recipient() == buyer && m.Subject == "Your e-ticket: Jazz night"));
        await using var scope = App.Services.CreateAsyncScope();
        var delivery = await scope.ServiceProvider.GetRequiredService<OrderDelivery>().FindAsync(new Actor(buyerId), order.Id);
        Assert.NotNull(delivery);
        Assert.Contains(delivery.Code, email.Text());
        Assert.Contains(order.Id.ToString(), email.Text());
        Assert.Contains($"by {EmailLayout.FormatInstant(delivery.SellerSendsBy!.Value)}", email.Text());
        Assert.Equal(delivery.Code.Replace("-", string.Empty, StringComparison.Ordinal), DecodeQrTable(email.Html()));
        Assert.DoesNotContain("<img", email.Html(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<svg", email.Html(), StringComparison.OrdinalIgnoreCase);

        // The seller gets no e-ticket, and the code from the e-mail admits once.
        Assert.DoesNotContain(Sink.To(seller), m => m.Subject!.StartsWith("Your e-ticket", StringComparison.Ordinal));
        var door = scope.ServiceProvider.GetRequiredService<CheckIns>();
        Assert.Equal(CheckInOutcome.Admitted, (await door.CheckInAsync(Guid.NewGuid(), DecodeQrTable(email.Html()))).Outcome);
        Assert.Equal(CheckInOutcome.AlreadyAdmitted, (await door.CheckInAsync(Guid.NewGuid(), delivery.Code)).Outcome);
    }

    [Fact]
    public async Task AListingWithItsFile_SaysTheFileIsReady()
    {
        var (sellerId, _) = await App.NewUserAsync("seller");
        var (buyerId, buyer) = await App.NewUserAsync("buyer");
        var ticket = await App.Services.ListTicketAsync(sellerId, 25m, "Opera");
        await using (var scope = App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TicketFiles>().AttachAsync(new Actor(sellerId), ticket.Id, "opera.pdf", SampleTicketFiles.Pdf());
        }

        var order = await App.Services.ReserveAsync(buyerId, ticket.Id);
        await App.Services.PayAsync(buyerId, order.Id, "tok_visa");

        var email = Assert.Single(await Sink.WaitForAsync(m => m.Recipient() == buyer && m.Subject == "Your e-ticket: Opera"));
        Assert.Contains("ticket file is ready", email.Text());
        Assert.DoesNotContain("still has to attach", email.Text());
    }

    [Fact]
    public async Task RedeliveredCompletion_SendsOneETicket()
    {
        var (sellerId, _) = await App.NewUserAsync("seller");
        var (buyerId, buyer) = await App.NewUserAsync("buyer");
        var ticket = await App.Services.ListTicketAsync(sellerId, 15m, "Comedy");
        var order = await App.Services.ReserveAsync(buyerId, ticket.Id);
        await App.Services.PayAsync(buyerId, order.Id, "tok_visa");
        await Sink.WaitForAsync(m => m.Recipient() == buyer && m.Subject == "Your e-ticket: Comedy");

        // Paying again (a second tab) completes nothing new and sends nothing new.
        await Assert.ThrowsAnyAsync<Exception>(() => App.Services.PayAsync(buyerId, order.Id, "tok_visa"));
        await App.Services.WaitForOutboxToSettleAsync();

        Assert.Single(Sink.To(buyer), m => m.Subject == "Your e-ticket: Comedy");
    }

    /// <summary>Reads the QR table back into modules, draws them 4 px each, and lets ZXing decode the picture.</summary>
    private static string DecodeQrTable(string html)
    {
        var table = QrTable().Match(html);
        Assert.True(table.Success, "the e-mail carries the QR table");
        var rows = new List<List<bool>>();
        foreach (Match row in Row().Matches(table.Value))
        {
            var modules = new List<bool>();
            foreach (Match cell in Cell().Matches(row.Value))
            {
                modules.AddRange(Enumerable.Repeat(cell.Groups["colour"].Value == "#000000", int.Parse(cell.Groups["span"].Value, System.Globalization.CultureInfo.InvariantCulture)));
            }

            rows.Add(modules);
        }

        Assert.All(rows, r => Assert.Equal(rows.Count, r.Count));
        const int Pixel = 4;
        var size = rows.Count * Pixel;
        var luminance = new byte[size * size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                luminance[(y * size) + x] = rows[y / Pixel][x / Pixel] ? (byte)0 : (byte)255;
            }
        }

        var reader = new BarcodeReaderGeneric { Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.QR_CODE], PureBarcode = true } };
        var result = reader.Decode(new RGBLuminanceSource(luminance, size, size, RGBLuminanceSource.BitmapFormat.Gray8));
        Assert.NotNull(result);
        return result.Text;
    }

    [GeneratedRegex("<table role=\"img\" aria-label=\"QR code of the e-ticket\".*?</table>", RegexOptions.Singleline)]
    private static partial Regex QrTable();

    [GeneratedRegex("<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex("<td colspan=\"(?<span>\\d+)\" style=\"background:(?<colour>#[0-9a-f]{6});")]
    private static partial Regex Cell();
}
