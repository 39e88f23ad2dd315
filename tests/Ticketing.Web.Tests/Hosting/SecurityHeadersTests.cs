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

    [Fact]
    public async Task HomePage_LoadsNoInlineScript_SoTheStrictPolicyHolds()
    {
        using var client = app.Instance.CreateClient();

        var html = await client.GetStringAsync("/");

        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)[^>]*>", html);
    }

    public sealed class App : IAsyncLifetime
    {
        public TicketingApp Instance { get; } = new();

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await Instance.DisposeAsync();
    }
}
