using Ticketing.Infrastructure.Delivery;
using Ticketing.Web.Scan;

namespace Ticketing.Web.Tests.Api.Delivery;

/// <summary>
/// The door's camera reader (<see cref="QrFrames"/>) reads every e-ticket's symbol, including the
/// few that ZXing's finder misses as they stand.
/// </summary>
public sealed class ETicketSymbolReadingTests
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A code whose symbol ZXing cannot find upright, drawn however sharp; turned, it can.</summary>
    private const string MissedUpright = "5E16EPF2GCPE3G8Q3VX36NRM320BBNPR";

    [Fact]
    public void A_symbol_the_finder_misses_upright_is_read_turned()
    {
        var (frame, width, height) = Drawn(MissedUpright, moduleSize: 8);

        Assert.Equal(MissedUpright, QrFrames.Read(frame, width, height));
    }

    [Fact]
    public void Two_thousand_e_tickets_with_random_codes_are_each_read()
    {
        var random = new Random(20261207);
        var unread = new List<string>();
        for (var i = 0; i < 2_000; i++)
        {
            var code = new string(Enumerable.Range(0, 32).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());
            var (frame, width, height) = Drawn(code, moduleSize: 5);
            if (QrFrames.Read(frame, width, height) != code)
            {
                unread.Add(code);
            }
        }

        Assert.Empty(unread);
    }

    [Fact]
    public void A_frame_with_no_code_is_still_none_after_every_turn()
    {
        var frame = Enumerable.Repeat((byte)220, 300 * 200).ToArray();

        Assert.Null(QrFrames.Read(frame, 300, 200));
    }

    /// <summary>The e-ticket's own symbol, dark on white, with the quiet zone it is printed with.</summary>
    private static (byte[] Frame, int Width, int Height) Drawn(string code, int moduleSize)
    {
        var modules = ETicketImage.Modules(code);
        var side = modules.Count * moduleSize;
        var frame = new byte[side * side];
        for (var y = 0; y < side; y++)
        {
            for (var x = 0; x < side; x++)
            {
                frame[(y * side) + x] = modules[y / moduleSize][x / moduleSize] ? (byte)0 : (byte)255;
            }
        }

        return (frame, side, side);
    }
}
