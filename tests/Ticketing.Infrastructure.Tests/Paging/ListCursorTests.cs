using Ticketing.Infrastructure.Paging;

namespace Ticketing.Infrastructure.Tests.Paging;

/// <summary>The cursor clients carry between pages: opaque, exact, and never an exception whatever comes back.</summary>
public sealed class ListCursorTests
{
    [Fact]
    public void Encoded_DecodesToTheSamePosition()
    {
        var cursor = new ListCursor(new DateTimeOffset(2027, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(6789), Guid.NewGuid());

        var text = cursor.Encode(ListCursor.Tickets);

        Assert.True(ListCursor.TryDecode(text, ListCursor.Tickets, out var decoded));
        Assert.Equal(cursor, decoded);
        Assert.Matches("^[A-Za-z0-9_-]{34}$", text);
    }

    [Fact]
    public void AnotherListsCursor_IsRefused()
    {
        var text = new ListCursor(DateTimeOffset.UtcNow, Guid.NewGuid()).Encode(ListCursor.Orders);

        Assert.False(ListCursor.TryDecode(text, ListCursor.Tickets, out _));
    }

    [Fact]
    public void RandomText_IsRefusedWithoutThrowing()
    {
        var random = new Random(20261206);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/%. \u00e9\u0000";
        for (var i = 0; i < 20_000; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 80)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());

            var decoded = ListCursor.TryDecode(text, ListCursor.Tickets, out var cursor);

            Assert.True(!decoded || cursor.Encode(ListCursor.Tickets) == text, text);
        }
    }

    [Fact]
    public void TicksOutsideTheCalendar_AreRefused()
    {
        var bytes = new byte[25];
        bytes[0] = ListCursor.Tickets;
        Array.Fill(bytes, (byte)0xFF, 1, 8);

        Assert.False(ListCursor.TryDecode(System.Buffers.Text.Base64Url.EncodeToString(bytes), ListCursor.Tickets, out _));
    }
}
