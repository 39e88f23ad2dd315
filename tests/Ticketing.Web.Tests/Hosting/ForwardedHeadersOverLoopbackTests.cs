using System.Net;
using System.Net.Http.Json;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Hosting;

/// <summary>
/// A client on the app's own host, over a real Kestrel port: unless loopback is named as the proxy,
/// its <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are not believed, so it cannot pick its
/// own rate-limit key, nor make the app think it speaks HTTPS.
/// </summary>
public sealed class ForwardedHeadersOverLoopbackTests
{
    private const int AuthPermitLimit = 3;

    [Fact]
    public async Task WithNoProxyNamed_ALoopbackClient_CannotNameItsAddressNorItsScheme()
    {
        await using var app = App(proxies: null);
        using var client = Client(app);

        var answers = await SignInFromAsync(client, AuthPermitLimit + 1);
        var redirect = await OrdersPageAsync(client);

        // Four "clients" were one: the last sign-in is over the limit of the one real address.
        Assert.All(answers[..AuthPermitLimit], a => Assert.Equal(HttpStatusCode.BadRequest, a));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);
        Assert.Equal(Uri.UriSchemeHttp, redirect.Scheme);
    }

    [Fact]
    public async Task WithLoopbackNamedAsTheProxy_ItsHeadersAreBelieved()
    {
        await using var app = App(proxies: "127.0.0.1, ::1");
        using var client = Client(app);

        var answers = await SignInFromAsync(client, AuthPermitLimit + 1);
        var redirect = await OrdersPageAsync(client);

        // Each forwarded address has a limit of its own.
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.BadRequest, a));
        Assert.Equal(Uri.UriSchemeHttps, redirect.Scheme);
    }

    private static TicketingApp App(string? proxies) => new(kestrel: true, settings: new Dictionary<string, string?>
    {
        ["RateLimiting:AuthPermitLimit"] = AuthPermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ForwardedHeaders:KnownProxies"] = proxies,
    });

    private static HttpClient Client(TicketingApp app) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.BaseAddress };

    /// <summary>Wrong sign-ins, each sent as if forwarded for a different client address.</summary>
    private static async Task<HttpStatusCode[]> SignInFromAsync(HttpClient client, int count)
    {
        var answers = new HttpStatusCode[count];
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/users/signin")
            {
                Content = JsonContent.Create(new { email = $"nobody-{i}@example.com", password = "not the password" }),
            };
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
            using var response = await client.SendAsync(request);
            answers[i] = response.StatusCode;
        }

        return answers;
    }

    /// <summary>Where a signed-out visit to My orders is sent, asked as if forwarded over HTTPS.</summary>
    private static async Task<Uri> OrdersPageAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }
}
