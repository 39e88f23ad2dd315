using Ticketing.Domain.Common;
using Ticketing.Domain.Delivery;
using Ticketing.Domain.Tickets;
using Ticketing.Testing;

namespace Ticketing.Domain.Tests.Delivery;

public sealed class TicketFileCheckTests
{
    [Fact]
    public void Inspect_WholeFilesOfEachKind_AreAccepted()
    {
        Assert.Equal(TicketFileKind.Pdf, TicketFileCheck.Inspect(SampleTicketFiles.Pdf()));
        Assert.Equal(TicketFileKind.Png, TicketFileCheck.Inspect(SampleTicketFiles.Png()));
        Assert.Equal(TicketFileKind.Jpeg, TicketFileCheck.Inspect(SampleTicketFiles.Jpeg()));
    }

    [Fact]
    public void Inspect_ExecutableWhateverItsName_IsRefusedAsNoSupportedKind()
    {
        foreach (var executable in new[] { SampleTicketFiles.Executable(), SampleTicketFiles.WindowsExecutable() })
        {
            var refused = Assert.Throws<BusinessRuleViolationException>(() => TicketFileCheck.Inspect(executable));
            Assert.Equal(TicketFileCheck.UnsupportedMessage, refused.Message);
            Assert.Equal("file", refused.Field);
        }
    }

    [Fact]
    public void Inspect_TruncatedPdf_IsRefusedAsIncomplete()
    {
        var refused = Assert.Throws<BusinessRuleViolationException>(() => TicketFileCheck.Inspect(SampleTicketFiles.TruncatedPdf()));
        Assert.StartsWith("The PDF is incomplete", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_PdfHeaderWithoutItsEnd_IsRefused()
    {
        Assert.NotNull(TicketFileCheck.Problem("%PDF-1.7\nthen nothing a PDF ends with"u8, out _));
    }

    [Fact]
    public void Inspect_TruncatedPngOrJpeg_IsRefused()
    {
        Assert.Contains("PNG", TicketFileCheck.Problem(SampleTicketFiles.Png()[..^8], out _), StringComparison.Ordinal);
        Assert.Contains("JPEG", TicketFileCheck.Problem(SampleTicketFiles.Jpeg()[..^2], out _), StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_PngWhoseFirstChunkIsNotTheHeader_IsRefused()
    {
        var png = SampleTicketFiles.Png();
        "IDAT"u8.CopyTo(png.AsSpan(12));

        Assert.NotNull(TicketFileCheck.Problem(png, out _));
    }

    [Fact]
    public void Inspect_EmptyOrOverFiveMegabytes_IsRefused()
    {
        Assert.Equal("The file is empty", TicketFileCheck.Problem([], out _));

        var large = new byte[TicketFileCheck.MaxBytes + 1];
        SampleTicketFiles.Pdf().CopyTo(large, 0);
        Assert.Equal(TicketFileCheck.TooLargeMessage, TicketFileCheck.Problem(large, out _));
    }

    [Fact]
    public void CleanName_KeepsTheNameButTakesTheExtensionOfWhatTheFileIs()
    {
        Assert.Equal("seat 12.pdf", TicketFile.CleanName("seat 12.pdf", TicketFileKind.Pdf));
        Assert.Equal("invoice.png", TicketFile.CleanName("../../etc/invoice.exe", TicketFileKind.Png));
        Assert.Equal("ticket.jpg", TicketFile.CleanName(@"C:\tickets\\..jpg", TicketFileKind.Jpeg));
        Assert.Equal("ticket.pdf", TicketFile.CleanName(null, TicketFileKind.Pdf));
        Assert.Equal("abc.pdf", TicketFile.CleanName("a\"b\r\nc.pdf", TicketFileKind.Pdf));
        Assert.Equal(TicketFile.MaxFileNameLength, TicketFile.CleanName(new string('x', 300) + ".pdf", TicketFileKind.Pdf).Length);
    }

    [Fact]
    public void FileMayChange_WhileAvailable_OrWhenNoneWasSentAfterTheSale()
    {
        Assert.False(new TicketFileMayChangeRule(TicketStatus.Available, hasFile: true).IsBroken());
        Assert.False(new TicketFileMayChangeRule(TicketStatus.Sold, hasFile: false).IsBroken());
        Assert.True(new TicketFileMayChangeRule(TicketStatus.Sold, hasFile: true).IsBroken());
        Assert.True(new TicketFileMayChangeRule(TicketStatus.Reserved, hasFile: true).IsBroken());
    }
}
