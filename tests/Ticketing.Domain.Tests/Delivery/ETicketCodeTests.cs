using System.Security.Cryptography;
using Ticketing.Domain.Delivery;

namespace Ticketing.Domain.Tests.Delivery;

public sealed class ETicketCodeTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void Create_ThenRead_GivesTheSerialBack()
    {
        var serial = ETicketCode.NewSerial();
        var code = ETicketCode.Create(serial, Key);

        Assert.Matches("^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$", code);
        Assert.Equal(new ETicketCodeReading(ETicketCodeStatus.Valid, serial), ETicketCode.Read(code, Key));
    }

    [Fact]
    public void Read_ForgivesCaseSpacesDashesAndLookalikeLetters()
    {
        var serial = ETicketCode.NewSerial();
        var code = ETicketCode.Create(serial, Key);
        var typed = code.Replace("-", " ", StringComparison.Ordinal).ToLowerInvariant().Replace('0', 'o').Replace('1', 'l');

        Assert.Equal(serial, ETicketCode.Read(typed, Key).Serial);
    }

    [Fact]
    public void Read_AnyOneCharacterAltered_IsForged()
    {
        var code = ETicketCode.Create(ETicketCode.NewSerial(), Key).Replace("-", string.Empty, StringComparison.Ordinal);
        for (var i = 0; i < code.Length; i++)
        {
            var altered = code[..i] + (code[i] == 'A' ? 'B' : 'A') + code[(i + 1)..];
            Assert.Equal(ETicketCodeStatus.Forged, ETicketCode.Read(altered, Key).Status);
        }
    }

    [Fact]
    public void Read_CodeSignedWithAnotherKey_IsForged()
    {
        var code = ETicketCode.Create(ETicketCode.NewSerial(), RandomNumberGenerator.GetBytes(32));

        Assert.Equal(ETicketCodeStatus.Forged, ETicketCode.Read(code, Key).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ABCD")]
    [InlineData("UUUU-UUUU-UUUU-UUUU-UUUU-UUUU-UUUU-UUUU")]
    [InlineData("https://example.com/?code=1234")]
    public void Read_NotShapedLikeACode_IsMalformed(string? text)
    {
        Assert.Equal(new ETicketCodeReading(ETicketCodeStatus.Malformed, null), ETicketCode.Read(text, Key));
    }

    [Fact]
    public void NewSerial_IsNeverRepeated()
    {
        var serials = Enumerable.Range(0, 10_000).Select(_ => ETicketCode.NewSerial()).ToHashSet();

        Assert.Equal(10_000, serials.Count);
    }

    [Fact]
    public void SellerDeadline_IsTheWindowAfterTheSale_OrTheEventStartIfSooner()
    {
        var sold = new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
        var window = TimeSpan.FromHours(48);

        Assert.Equal(sold.AddHours(48), ETicket.SellerDeadline(sold, null, window));
        Assert.Equal(sold.AddHours(48), ETicket.SellerDeadline(sold, sold.AddDays(10), window));
        Assert.Equal(sold.AddHours(5), ETicket.SellerDeadline(sold, sold.AddHours(5), window));
        Assert.Equal(sold.AddHours(48), ETicket.SellerDeadline(sold, sold.AddHours(-1), window));
    }
}
