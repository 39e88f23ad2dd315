using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Ticketing.ReliabilityTests.Support;
using Ticketing.Testing;

namespace Ticketing.ReliabilityTests;

/// <summary>One real app process with the shipped abuse limits, reached by clients at different addresses.</summary>
public sealed class AbuseLimitsProcess : IAsyncLifetime
{
    private static int _nextClient;

    private readonly string _databasePath = TicketingApp.NewDatabasePath();

    public WebProcess Web { get; private set; } = null!;

    /// <summary>
    /// The process listens on loopback, named as its proxy (as for an nginx on the same host), so
    /// <c>X-Forwarded-For</c> plays the client's address as a reverse proxy would pass it on.
    /// </summary>
    public HttpClient ClientAt(string address) =>
        new(new SocketsHttpHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = Web.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
            DefaultRequestHeaders = { { "X-Forwarded-For", address } },
        };

    /// <summary>An address no other test uses (TEST-NET-3).</summary>
    public static string NewAddress() => $"203.0.113.{Interlocked.Increment(ref _nextClient)}";

    public async Task<HttpClient> SignUpAsync(string email)
    {
        var client = ClientAt(NewAddress());
        var response = await client.PostAsJsonAsync("/api/users/signup", new { email, password = "correct-horse-battery" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return client;
    }

    public async Task InitializeAsync() =>
        Web = await WebProcess.StartAsync(_databasePath, reservationSeconds: 120, settings: new Dictionary<string, string>
        {
            // The shipped defaults, which WebProcess otherwise raises for the load runs.
            ["RateLimiting__AuthPermitLimit"] = "20",
            ["RateLimiting__OrdersPermitLimit"] = "20",
            ["Ordering__MaxLiveOrdersPerBuyer"] = "5",
            ["ForwardedHeaders__KnownProxies"] = "127.0.0.1, ::1",
        });

    public async Task DisposeAsync()
    {
        await Web.DisposeAsync();
        TicketingApp.DeleteDatabase(_databasePath);
    }
}

/// <summary>Abuse checks against the real process and in Production: limits per real client, lockouts, cookie flags, antiforgery.</summary>
public sealed partial class AbuseTests(AbuseLimitsProcess app) : IClassFixture<AbuseLimitsProcess>
{
    private const string Password = "correct-horse-battery";

    [Fact]
    public async Task SixthLiveReservation_OfOneBuyer_Gets400SayingSo_AndTheTicketStaysAvailable()
    {
        using var seller = await app.SignUpAsync($"seller-{Guid.NewGuid():N}@example.com");
        using var buyer = await app.SignUpAsync($"buyer-{Guid.NewGuid():N}@example.com");
        var tickets = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            var listed = await seller.PostAsJsonAsync("/api/tickets", new { title = $"Seat {i}", price = 40 });
            tickets.Add((await listed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await buyer.PostAsJsonAsync("/api/orders", new { ticketId = tickets[i] })).StatusCode);
        }

        var sixth = await buyer.PostAsJsonAsync("/api/orders", new { ticketId = tickets[5] });

        Assert.Equal(HttpStatusCode.BadRequest, sixth.StatusCode);
        var message = (await sixth.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("message").GetString();
        Assert.Equal("You already hold 5 live reservations, the most one buyer may hold at once; pay for or cancel one before reserving another", message);
        var ticket = await buyer.GetFromJsonAsync<JsonElement>($"/api/tickets/{tickets[5]}");
        Assert.Equal("available", ticket.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Reservations_OverThePerUserLimit_Get429_WhileAnotherUserIsServed()
    {
        using var script = await app.SignUpAsync($"script-{Guid.NewGuid():N}@example.com");
        using var other = await app.SignUpAsync($"other-{Guid.NewGuid():N}@example.com");

        // Reservations of tickets that do not exist: cheap for the script, and they count all the same.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 21; i++)
        {
            statuses.Add((await script.PostAsJsonAsync("/api/orders", new { ticketId = Guid.NewGuid() })).StatusCode);
        }

        var otherUser = await other.PostAsJsonAsync("/api/orders", new { ticketId = Guid.NewGuid() });

        Assert.All(statuses.Take(20), s => Assert.Equal(HttpStatusCode.NotFound, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[20]);
        Assert.Equal(HttpStatusCode.NotFound, otherUser.StatusCode);
    }

    [Fact]
    public async Task SignInForm_IsRateLimitedPerClient_LikeTheApi_WhileAnotherClientIsServed()
    {
        using var flooder = app.ClientAt(AbuseLimitsProcess.NewAddress());
        using var neighbour = app.ClientAt(AbuseLimitsProcess.NewAddress());
        var token = await FormTokenAsync(flooder, "/account/login");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 21; i++)
        {
            statuses.Add((await PostLoginAsync(flooder, token, $"nobody-{i}@example.com", "wrong-password")).StatusCode);
        }

        var limited = await PostLoginAsync(flooder, token, "nobody@example.com", "wrong-password");
        var register = await flooder.PostAsync("/account/register", Form(token, "register", ("Input.Email", "new@example.com"), ("Input.Password", Password), ("Input.ConfirmPassword", Password)));
        var api = await flooder.PostAsJsonAsync("/api/users/signin", new { email = "nobody@example.com", password = "wrong-password" });
        var neighbourToken = await FormTokenAsync(neighbour, "/account/login");
        var served = await PostLoginAsync(neighbour, neighbourToken, "nobody@example.com", "wrong-password");

        Assert.All(statuses.Take(20), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[20]);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("Too many attempts", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, register.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Contains("Invalid email or password", await served.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedSignInsToTheAdminFromOneClient_LockOnlyThatClientOut_TheAdminSignsInFromElsewhere()
    {
        var attackerAddress = AbuseLimitsProcess.NewAddress();
        using var attacker = app.ClientAt(attackerAddress);
        using var admin = app.ClientAt(AbuseLimitsProcess.NewAddress());

        var failures = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            failures.Add((await attacker.PostAsJsonAsync("/api/users/signin", new { email = TicketingApp.AdminEmail, password = $"guess-{i}-password" })).StatusCode);
        }

        var attackerWithTheRightPassword = await attacker.PostAsJsonAsync("/api/users/signin", new { email = TicketingApp.AdminEmail, password = TicketingApp.AdminPassword });
        var adminSignIn = await admin.PostAsJsonAsync("/api/users/signin", new { email = TicketingApp.AdminEmail, password = TicketingApp.AdminPassword });

        Assert.All(failures, s => Assert.Equal(HttpStatusCode.BadRequest, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, attackerWithTheRightPassword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, adminSignIn.StatusCode);
        var roles = (await admin.GetFromJsonAsync<JsonElement>("/api/users/currentuser")).GetProperty("currentUser").GetProperty("roles");
        Assert.Contains("Admin", roles.EnumerateArray().Select(r => r.GetString()));

        // The log names the real client, not the proxy it came through.
        Assert.Contains($"from {attackerAddress}", app.Web.LogTail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_InProduction_SetsASecureHttpOnlySameSiteLaxCookie()
    {
        await using var production = new TicketingApp(environment: "Production");
        using var client = production.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), HandleCookies = false, AllowAutoRedirect = false });

        var response = await client.PostAsJsonAsync("/api/users/signup", new { email = $"prod-{Guid.NewGuid():N}@example.com", password = Password });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ticketing.auth=", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task LoginFormPost_WithoutTheAntiforgeryToken_IsRejectedAndSignsNobodyIn()
    {
        await using var inProcess = new TicketingApp();
        using var client = inProcess.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = TicketingApp.AdminEmail,
            ["Input.Password"] = TicketingApp.AdminPassword,
            ["_handler"] = "login",
        });

        var response = await client.PostAsync("/account/login", form);

        // Not acted on: the browser is sent to the page that says the form had expired.
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.StartsWith("/form-expired?", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("ticketing.auth=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AdminDashboard_ForASignedInNormalUser_IsNotServed()
    {
        await using var inProcess = new TicketingApp();
        var (client, _, _) = await inProcess.SignUpAsync();

        var response = await client.GetAsync("/admin");
        var body = await response.Content.ReadAsStringAsync();

        Assert.False(response.StatusCode == HttpStatusCode.OK && body.Contains("/admin/export.csv", StringComparison.Ordinal), $"/admin served the dashboard to a normal user ({(int)response.StatusCode}).");
    }

    /// <summary>The antiforgery token of a form page; the client keeps the matching cookie.</summary>
    private static async Task<string> FormTokenAsync(HttpClient client, string path)
    {
        var page = await client.GetStringAsync(path);
        return AntiforgeryToken().Match(page) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"{path} has no antiforgery token");
    }

    private static Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string token, string email, string password) =>
        client.PostAsync("/account/login", Form(token, "login", ("Input.Email", email), ("Input.Password", password)));

    private static FormUrlEncodedContent Form(string token, string handler, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))
            .Append(new("__RequestVerificationToken", token))
            .Append(new("_handler", handler)));

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
