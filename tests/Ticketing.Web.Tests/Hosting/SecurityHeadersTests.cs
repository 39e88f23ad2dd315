using Ticketing.Testing;

namespace Ticketing.Web.Tests.Hosting;

public sealed class SecurityHeadersTests(SecurityHeadersTests.App app) : IClassFixture<SecurityHeadersTests.App>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/not-found")]
    public async Task HtmlPage_CarriesCspNosniffReferrerPolicyAndFrameDenial(string path)
    {
        using var client = app.Instance.CreateClient();

        var response = await client.GetAsync(path);

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);

        // 'self' covers the page's own WebSocket address (CSP Level 3); no other host may be reached.
        Assert.Contains("connect-src 'self';", csp);
        Assert.DoesNotContain("ws:", csp);
        Assert.DoesNotContain("wss:", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    /// <summary>What an API call answers (a signed-in caller's own data among them) is never stored by a cache or the browser.</summary>
    [Theory]
    [InlineData("/api/users/currentuser", 200)]
    [InlineData("/api/orders", 401)]
    [InlineData("/api/tickets?limit=5", 200)]
    [InlineData("/api/nothing-here", 404)]
    public async Task ApiAnswer_IsNotStored(string path, int status)
    {
        using var client = app.Instance.CreateClient();

        var response = await client.GetAsync(path);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, $"{path}: Cache-Control {response.Headers.CacheControl}");
    }

    [Fact]
    public async Task HomePage_LoadsNoInlineScript_SoTheStrictPolicyHolds()
    {
        using var client = app.Instance.CreateClient();

        var html = await client.GetStringAsync("/");

        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)[^>]*>", html);
    }

    [Fact]
    public async Task HtmlPage_WithoutStripe_AllowsNoOtherOrigin()
    {
        using var client = app.Instance.CreateClient();

        var csp = Assert.Single((await client.GetAsync("/")).Headers.GetValues("Content-Security-Policy"));

        Assert.Equal(Ticketing.Web.Security.SecurityHeaders.ContentSecurityPolicy, csp);
        Assert.DoesNotContain("stripe", csp);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/account/login")]
    public async Task HtmlPage_WithStripe_AllowsExactlyStripeJsItsFramesAndItsApi(string path)
    {
        await using var stripe = new TicketingApp(settings: new Dictionary<string, string?>
        {
            ["Stripe:SecretKey"] = "sk_test_csp",
            ["Stripe:PublishableKey"] = "pk_test_csp",
            ["Stripe:WebhookSecret"] = "whsec_csp",
        });
        using var client = stripe.CreateClient();

        var csp = Assert.Single((await client.GetAsync(path)).Headers.GetValues("Content-Security-Policy"));

        var directives = csp.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d.Split(' ')[1..]);
        Assert.Equal(["'self'", "https://js.stripe.com", "https://*.js.stripe.com"], directives["script-src"]);
        Assert.Equal(["'self'", "https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com"], directives["frame-src"]);
        Assert.Equal(["'self'", "https://api.stripe.com"], directives["connect-src"]);
        Assert.Equal(["'self'"], directives["form-action"]);
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.Equal(["'self'"], directives["default-src"]);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.DoesNotContain("unsafe-inline", string.Join(' ', directives["script-src"]));
    }

    public sealed class App : IAsyncLifetime
    {
        public TicketingApp Instance { get; } = new();

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await Instance.DisposeAsync();
    }
}
