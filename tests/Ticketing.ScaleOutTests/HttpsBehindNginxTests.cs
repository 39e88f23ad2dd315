using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Ticketing.ScaleOutTests;

/// <summary>Two instances in Production behind the project's own nginx, which terminates TLS.</summary>
public sealed class ProductionClusterFixture : IAsyncLifetime
{
    public const string AdminPassword = "cluster admin passphrase";

    public LiveCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await LiveCluster.StartAsync(reservationSeconds: 120, new ClusterOptions(
        Environment: "Production",
        RaiseLimits: false,
        Settings: new Dictionary<string, string>
        {
            ["Payments__AllowTestGateway"] = "true",
            ["Admin__Password"] = AdminPassword,
            ["ForwardedHeaders__KnownProxies"] = "127.0.0.1",
            ["Identity__RevalidationSeconds"] = "2",
        }));

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// What the compose set-up gives a user: HTTPS through nginx with a Secure cookie that works, the
/// app seeing the real client and scheme (rate limits, logs, HSTS), and a live admin dashboard that
/// ends when the admin role is taken away.
/// </summary>
public sealed class HttpsBehindNginxTests(ProductionClusterFixture fixture) : IClassFixture<ProductionClusterFixture>
{
    private const string Password = LiveCluster.Password;

    private LiveCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task SignIn_OverHttpsThroughNginx_Works_WithASecureCookie_AndTheAppSeesHttps()
    {
        using var client = ClientFrom("198.51.100.20");
        var email = $"https-{Guid.NewGuid():N}@example.com";
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/users/signup", new { email, password = Password })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/users/signout", new { })).StatusCode);

        var signIn = await client.PostAsJsonAsync("/api/users/signin", new { email, password = Password });

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ticketing.auth=", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/users/currentuser");
        Assert.Equal(email, me.GetProperty("currentUser").GetProperty("email").GetString());

        // HSTS is only ever sent on a request the app saw as HTTPS (and not to localhost or an IP).
        using var page = new HttpRequestMessage(HttpMethod.Get, "/");
        page.Headers.Host = "tickets.example.test";
        var home = await client.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.True(home.Headers.TryGetValues("Strict-Transport-Security", out var hsts), "the app did not see the request as HTTPS");
        Assert.Equal("max-age=31536000", Assert.Single(hsts)); // a year, for this host only

        // Every cookie the page sets is Secure, and nginx names itself without its version.
        Assert.All(home.Headers.GetValues("Set-Cookie"), c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("nginx", Assert.Single(home.Headers.Server).Product?.ToString());

        // Plain HTTP only redirects to HTTPS.
        using var plain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = Cluster.NginxHttp };
        var redirected = await plain.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.MovedPermanently, redirected.StatusCode);
        Assert.Equal("https", redirected.Headers.Location?.Scheme);
    }

    [Fact]
    public async Task TwentyFiveSignIns_FromOneForwardedClient_Hit429_WhileAnotherClientIsUnaffected_AndTheAppLogsTheRealAddress()
    {
        const string flooding = "198.51.100.7";
        using var flooder = ClientFrom(flooding);
        using var other = ClientFrom("198.51.100.8");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 25; i++)
        {
            statuses.Add((await flooder.PostAsJsonAsync("/api/users/signin", new { email = $"guess-{i}@example.com", password = "wrong-password" })).StatusCode);
        }

        var neighbour = await other.PostAsJsonAsync("/api/users/signin", new { email = "guess@example.com", password = "wrong-password" });

        Assert.All(statuses.Take(20), s => Assert.Equal(HttpStatusCode.BadRequest, s));
        Assert.All(statuses.Skip(20), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        Assert.Equal(HttpStatusCode.BadRequest, neighbour.StatusCode);
        // Both the refusals and the failed sign-ins are logged with the client's address, not nginx's.
        var logs = Cluster.A.Log() + Cluster.B.Log();
        Assert.Contains($"Rate limit refused POST /api/users/signin from {flooding}", logs, StringComparison.Ordinal);
        Assert.Contains($"Failed sign-in from {flooding}: no account has that email", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("Rate limit refused POST /api/users/signin from 127.0.0.1", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAdminsLiveDashboard_EndsSoonAfterTheAdminRoleIsRevoked()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Binary.Find("chromium"),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        var page = await context.NewPageAsync();
        var problems = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                problems.Enqueue(m.Text);
            }
        };
        await page.GotoAsync(new Uri(Cluster.Nginx, "/account/login").ToString());
        await page.FillAsync("#login-email", "admin@ticketing.local");
        await page.FillAsync("#login-password", ProductionClusterFixture.AdminPassword);
        await page.ClickAsync("[data-action=submit-login]");
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 30_000 });

        var circuitUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        page.WebSocket += (_, socket) =>
        {
            if (socket.Url.Contains("/_blazor", StringComparison.Ordinal))
            {
                socket.FrameReceived += (_, _) => circuitUp.TrySetResult();
            }
        };
        await page.GotoAsync(new Uri(Cluster.Nginx, "/admin").ToString());
        await page.Locator("[data-figure=listed]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });

        // The dashboard is live: its circuit runs over a WebSocket through nginx's TLS.
        await circuitUp.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var revoked = Cluster.Execute("""
            DELETE FROM AspNetUserRoles
            WHERE UserId = (SELECT Id FROM AspNetUsers WHERE NormalizedEmail = 'ADMIN@TICKETING.LOCAL')
            """);
        Assert.Equal(1, revoked);
        var started = DateTime.UtcNow;

        // The circuit notices within the revalidation interval (2 s here) and leaves the dashboard.
        await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/admin", StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 20_000 });
        Assert.Equal(0, await page.Locator("[data-figures]").CountAsync());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20));

        // Everything ran under the shipped policy: no script, style or connection was refused.
        Assert.Empty(problems);
    }

    /// <summary>A client whose address nginx's trusted upstream (loopback) forwards as <paramref name="address"/>.</summary>
    private HttpClient ClientFrom(string address)
    {
        var client = LiveCluster.Client(Cluster.Nginx);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }
}
