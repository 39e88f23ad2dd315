using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.Testing;
using Ticketing.Web.Scan;

namespace Ticketing.Web.Tests.Api.Delivery;

/// <summary>
/// <c>POST /scan/frame</c>: the scan page's camera, for browsers that cannot read a QR code
/// themselves, sends each frame as grey pixels and gets back the code in it.
/// </summary>
public sealed class CameraFrameTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const int Width = 320;
    private const int Height = 240;

    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task A_frame_showing_an_e_ticket_gives_its_code_which_then_admits_it()
    {
        var (_, _, _, order) = await _app.SoldTicketAsync();
        var scanner = await _app.ScannerAsync();
        var printed = await _app.CodeOfAsync(order.Id);
        var inQr = CameraFrames.InQrCode(printed);

        var read = await SendAsync(scanner, CameraFrames.Grey(inQr, Width, Height), Width, Height);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var code = (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
        Assert.Equal(inQr, code);
        Assert.Equal(HttpStatusCode.OK, (await scanner.CheckInAsync(code!)).StatusCode);
    }

    [Fact]
    public async Task A_frame_without_a_code_gives_none()
    {
        var scanner = await _app.ScannerAsync();

        var read = await SendAsync(scanner, CameraFrames.Grey(null, Width, Height), Width, Height);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").ValueKind);
    }

    [Fact]
    public async Task Frames_of_noise_stripes_and_torn_codes_are_answered_without_a_code_never_an_error()
    {
        var scanner = await _app.ScannerAsync();
        var random = new Random(20261206);
        var whole = CameraFrames.Grey("a code that the camera sees only in part", Width, Height);
        var frames = new List<byte[]>();
        for (var i = 0; i < 60; i++)
        {
            var noise = new byte[Width * Height];
            random.NextBytes(noise);
            frames.Add(noise);

            var stripes = new byte[Width * Height];
            var period = 2 + random.Next(12);
            for (var p = 0; p < stripes.Length; p++)
            {
                stripes[p] = (byte)((p % Width / period) % 2 == 0 ? 20 : 235);
            }

            frames.Add(stripes);

            // The code with a band of rows torn out of it, as a hand passing in front of the lens.
            var torn = (byte[])whole.Clone();
            var from = random.Next(Height / 3, Height / 2);
            Array.Fill(torn, (byte)128, from * Width, Width * (10 + random.Next(40)));
            frames.Add(torn);
        }

        foreach (var frame in frames)
        {
            var response = await SendAsync(scanner, frame, Width, Height);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var code = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code");
            Assert.True(code.ValueKind == JsonValueKind.Null || code.GetString() == "a code that the camera sees only in part", $"read {code} from a frame with no such code");
        }
    }

    [Theory]
    [InlineData("320", "240", 320 * 239, "width × height bytes")]
    [InlineData("320", "abc", 320 * 240, "32 to 640 pixels")]
    [InlineData("", "240", 320 * 240, "32 to 640 pixels")]
    [InlineData("16", "16", 256, "32 to 640 pixels")]
    [InlineData("641", "100", 64_100, "32 to 640 pixels")]
    public async Task A_frame_of_the_wrong_size_is_refused_saying_why(string width, string height, int bytes, string message)
    {
        var scanner = await _app.ScannerAsync();

        var response = await SendAsync(scanner, new byte[bytes], width, height);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_frame_over_the_largest_size_is_refused_unread()
    {
        var scanner = await _app.ScannerAsync();

        var response = await SendAsync(scanner, new byte[(QrFrames.MaxSide * QrFrames.MaxSide) + 1], "640", "641");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("at most 640 × 640 pixels", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_scanners_and_admins_may_send_frames()
    {
        var (_, _, _, order) = await _app.SoldTicketAsync();
        var frame = CameraFrames.Grey(CameraFrames.InQrCode(await _app.CodeOfAsync(order.Id)), Width, Height);
        var (buyer, _, _) = await _app.SignUpAsync();
        using var anonymous = _app.CreateUserClient();

        var asBuyer = await SendAsync(buyer, frame, Width, Height);
        var asAnonymous = await SendAsync(anonymous, frame, Width, Height);
        var asAdmin = await SendAsync(await _app.SignInAdminAsync(), frame, Width, Height);

        Assert.NotEqual(HttpStatusCode.OK, asBuyer.StatusCode);
        Assert.DoesNotContain("\"code\"", await asBuyer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, asAnonymous.StatusCode);
        Assert.DoesNotContain("\"code\"", await asAnonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, byte[] frame, object width, object height)
    {
        var content = new ByteArrayContent(frame);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return client.PostAsync($"/scan/frame?width={width}&height={height}", content);
    }
}
