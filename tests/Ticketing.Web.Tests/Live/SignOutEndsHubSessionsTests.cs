using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Identity;
using Ticketing.Testing;
using Ticketing.Web.Accounts;

namespace Ticketing.Web.Tests.Live;

/// <summary>
/// A hub connection keeps the identity it was opened with. Signing out ends the private stream
/// (<c>OrderUpdated</c>) of the connections that sign-in opened, at once, and leaves the same
/// account's other sign-ins alone; anything that signs the account out everywhere ends them all.
/// Real Kestrel port, the .NET SignalR client, a real SQLite file.
/// </summary>
public sealed partial class SignOutEndsHubSessionsTests : IAsyncLifetime
{
    private const string Password = "correct-horse-battery";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    private readonly TicketingApp _app = new(kestrel: true);
    private readonly List<Listener> _listeners = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var listener in _listeners)
        {
            await listener.Connection.DisposeAsync();
        }

        await _app.DisposeAsync();
    }

    [Fact]
    public async Task SigningOut_EndsTheConnectionsOfThatSignIn_AndNotThoseOfTheAccountsOtherSignIn()
    {
        var seller = await SignUpAsync();
        var here = await SignUpAsync();
        var elsewhere = await SignInAsync(here.Email);
        var firstTab = await ListenAsync(here.Cookies);
        var secondTab = await ListenAsync(here.Cookies);
        var otherDevice = await ListenAsync(elsewhere.Cookies);
        var anonymous = await ListenAsync(new CookieContainer());

        var ticket = await ListAsync(seller, "Quartet");
        var orderId = await ReserveAsync(elsewhere, ticket);
        foreach (var listener in new[] { firstTab, secondTab, otherDevice })
        {
            Assert.Equal((orderId, "created"), listener.NextOrder());
        }

        var signOut = await here.Client.PostAsJsonAsync("/api/users/signout", new { });
        Assert.Equal(HttpStatusCode.OK, signOut.StatusCode);
        Assert.Equal("{}", await signOut.Content.ReadAsStringAsync());

        await firstTab.AssertClosedAsync();
        await secondTab.AssertClosedAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await elsewhere.Client.DeleteAsync($"/api/orders/{orderId}")).StatusCode);

        Assert.Equal((orderId, "cancelled"), otherDevice.NextOrder());
        Assert.Equal(HubConnectionState.Connected, otherDevice.Connection.State);
        Assert.Equal(ticket, anonymous.NextTicket("TicketUnlocked"));
        Assert.Equal(HubConnectionState.Connected, anonymous.Connection.State);
        Assert.False(firstTab.HeardOrder(TimeSpan.FromMilliseconds(300)));
        Assert.False(secondTab.HeardOrder(TimeSpan.FromMilliseconds(100)));
    }

    /// <summary>
    /// Someone else signs in on the same browser: the new cookie replaces the first account's, and
    /// the first account's open tabs end as if it had signed out. Its sign-in elsewhere stays.
    /// </summary>
    [Fact]
    public async Task SigningInAsSomeoneElse_InTheSameBrowser_EndsTheFirstAccountsTabs_AndNotItsOtherSignIns()
    {
        var seller = await SignUpAsync();
        var first = await SignUpAsync();
        var second = await SignUpAsync();
        var elsewhere = await SignInAsync(first.Email);
        var tab = await ListenAsync(first.Cookies);
        var otherDevice = await ListenAsync(elsewhere.Cookies);

        var signIn = await first.Client.PostAsJsonAsync("/api/users/signin", new { email = second.Email, password = Password });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);

        await tab.AssertClosedAsync();
        var orderId = await ReserveAsync(elsewhere, await ListAsync(seller, "Trio"));
        Assert.Equal((orderId, "created"), otherDevice.NextOrder());
        Assert.Equal(HubConnectionState.Connected, otherDevice.Connection.State);
        var now = await first.Client.GetFromJsonAsync<JsonElement>("/api/users/currentuser");
        Assert.Equal(second.Id, now.GetProperty("currentUser").GetProperty("id").GetGuid());
    }

    /// <summary>
    /// The same account signs in again on the same browser: its open tabs are its own and stay, and
    /// the sign-out that follows ends them with the new cookie's.
    /// </summary>
    [Fact]
    public async Task SigningInAgainAsTheSameAccount_KeepsItsTabs_AndItsNextSignOutEndsThemAll()
    {
        var seller = await SignUpAsync();
        var buyer = await SignUpAsync();
        var before = await ListenAsync(buyer.Cookies);

        var signIn = await buyer.Client.PostAsJsonAsync("/api/users/signin", new { email = buyer.Email, password = Password });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var after = await ListenAsync(buyer.Cookies);
        var orderId = await ReserveAsync(buyer, await ListAsync(seller, "Duo"));
        Assert.Equal((orderId, "created"), before.NextOrder());
        Assert.Equal((orderId, "created"), after.NextOrder());

        Assert.Equal(HttpStatusCode.OK, (await buyer.Client.PostAsJsonAsync("/api/users/signout", new { })).StatusCode);

        await before.AssertClosedAsync();
        await after.AssertClosedAsync();
    }

    /// <summary>
    /// A client that reconnects after the sign-out does so without the cookie, as a browser would:
    /// it hears the market again, and none of the account's orders.
    /// </summary>
    [Fact]
    public async Task AConnectionThatReconnectsAfterSigningOut_IsAnonymous()
    {
        var seller = await SignUpAsync();
        var buyer = await SignUpAsync();
        var tab = await ListenAsync(buyer.Cookies, reconnect: true);

        Assert.Equal(HttpStatusCode.OK, (await buyer.Client.PostAsJsonAsync("/api/users/signout", new { })).StatusCode);
        await TicketingApp.WaitUntilAsync(() => Task.FromResult(tab.Reconnections > 0), Deadline, "the ended connection reconnects");

        var ticket = await ListAsync(seller, "Recital");
        Assert.Equal(ticket, tab.NextTicket("TicketCreated"));
        var again = await SignInAsync(buyer.Email);
        var orderId = await ReserveAsync(again, ticket);
        Assert.Equal(ticket, tab.NextTicket("TicketLocked"));
        Assert.False(tab.HeardOrder(TimeSpan.FromMilliseconds(500)), $"order {orderId} reached a signed-out connection");
    }

    /// <summary>
    /// A client that kept a copy of the signed-out cookie and connects again at once (or was opening
    /// its connection as the sign-out happened) is served as anonymous.
    /// </summary>
    [Fact]
    public async Task AConnectionOpenedWithTheSignedOutCookieRightAfter_HearsNoOrders()
    {
        var seller = await SignUpAsync();
        var buyer = await SignUpAsync();
        var kept = new CookieContainer();
        kept.Add(buyer.Cookies.GetAllCookies());
        Assert.Equal(HttpStatusCode.OK, (await buyer.Client.PostAsJsonAsync("/api/users/signout", new { })).StatusCode);

        var copy = await ListenAsync(kept);
        var again = await SignInAsync(buyer.Email);
        var ticket = await ListAsync(seller, "Sonata");
        await ReserveAsync(again, ticket);

        Assert.Equal(ticket, copy.NextTicket("TicketLocked"));
        Assert.False(copy.HeardOrder(TimeSpan.FromMilliseconds(500)));
        Assert.Equal(HubConnectionState.Connected, copy.Connection.State);
    }

    /// <summary>The sign-out page (a form post, not the API) ends the sign-in's connections too.</summary>
    [Fact]
    public async Task SigningOutOnTheSignOutPage_EndsTheConnectionsOfThatSignIn()
    {
        var here = await SignUpAsync();
        var elsewhere = await SignInAsync(here.Email);
        var tab = await ListenAsync(here.Cookies);
        var otherDevice = await ListenAsync(elsewhere.Cookies);
        var token = TokenOf(await here.Client.GetStringAsync("/account/manage"));

        var posted = await here.Client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "logout",
        }));

        Assert.True(posted.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.Found, $"{(int)posted.StatusCode}");
        Assert.DoesNotContain("form-expired", posted.Headers.Location?.OriginalString ?? string.Empty);
        await tab.AssertClosedAsync();
        await Task.Delay(200);
        Assert.Equal(HubConnectionState.Connected, otherDevice.Connection.State);
    }

    [Fact]
    public async Task ChangingThePassword_EndsEveryConnectionOfTheAccount_AndNoOneElses()
    {
        var seller = await SignUpAsync();
        var buyer = await SignUpAsync();
        var elsewhere = await SignInAsync(buyer.Email);
        var tab = await ListenAsync(buyer.Cookies);
        var otherDevice = await ListenAsync(elsewhere.Cookies);
        var sellerTab = await ListenAsync(seller.Cookies);

        // As the account page does it.
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var account = await users.FindByEmailAsync(buyer.Email);
            Assert.True((await users.ChangePasswordAsync(account!, Password, "a brand new passphrase")).Succeeded);
        }

        await tab.AssertClosedAsync();
        await otherDevice.AssertClosedAsync();

        // The old cookies are refused now: the buyer signs in again, with the new password.
        var ticket = await ListAsync(seller, "Trio");
        await ReserveAsync(await SignInAsync(buyer.Email, "a brand new passphrase"), ticket);
        Assert.False(tab.HeardOrder(TimeSpan.FromMilliseconds(300)));
        Assert.False(otherDevice.HeardOrder(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(HubConnectionState.Connected, sellerTab.Connection.State);
    }

    /// <summary>
    /// A connection opened with a cookie from before the change, in the time before that cookie is
    /// checked again, hears no orders either.
    /// </summary>
    [Fact]
    public async Task ResettingThePassword_EndsEveryConnectionOfTheAccount_AndAnOldCookieReconnectingHearsNoOrders()
    {
        var seller = await SignUpAsync();
        var buyer = await SignUpAsync();
        var tab = await ListenAsync(buyer.Cookies);
        var kept = new CookieContainer();
        kept.Add(buyer.Cookies.GetAllCookies());

        string token;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            token = AccountLinks.Encode(await users.GeneratePasswordResetTokenAsync((await users.FindByIdAsync(buyer.Id.ToString()))!));
        }

        using var stranger = NewClient(new CookieContainer());
        var reset = await stranger.PostAsJsonAsync("/api/users/resetpassword", new { userId = buyer.Id, token, password = "a brand new passphrase" });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);

        await tab.AssertClosedAsync();
        var old = await ListenAsync(kept);
        var again = await SignInAsync(buyer.Email, "a brand new passphrase");
        var fresh = await ListenAsync(again.Cookies);
        var ticket = await ListAsync(seller, "Duet");
        var orderId = await ReserveAsync(again, ticket);

        Assert.Equal((orderId, "created"), fresh.NextOrder());
        Assert.Equal(ticket, old.NextTicket("TicketLocked"));
        Assert.False(old.HeardOrder(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task DeletingTheAccount_EndsEveryConnectionOfTheAccount()
    {
        var buyer = await SignUpAsync();
        var elsewhere = await SignInAsync(buyer.Email);
        var tab = await ListenAsync(buyer.Cookies);
        var otherDevice = await ListenAsync(elsewhere.Cookies);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/users/currentuser") { Content = JsonContent.Create(new { password = Password }) };
        Assert.Equal(HttpStatusCode.NoContent, (await buyer.Client.SendAsync(delete)).StatusCode);

        await tab.AssertClosedAsync();
        await otherDevice.AssertClosedAsync();
    }

    /// <summary>A connection lasts no longer than the cookie it was opened with (the hub's CloseOnAuthenticationExpiration).</summary>
    [Fact]
    public async Task AConnection_EndsWhenItsCookieExpires()
    {
        await using var shortLived = new TicketingApp(kestrel: true, services: s => s.ConfigureApplicationCookie(o => o.ExpireTimeSpan = TimeSpan.FromSeconds(2)));
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = shortLived.BaseAddress };
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/users/signup", new { email = $"brief-{Guid.NewGuid():N}@example.com", password = Password })).StatusCode);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var connection = new HubConnectionBuilder().WithUrl(new Uri(shortLived.BaseAddress, "/hubs/tickets"), o => o.Cookies = cookies).Build();
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await connection.StartAsync();

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task SigningOutAnonymously_Returns200_AndEndsNobodysConnection()
    {
        var buyer = await SignUpAsync();
        var tab = await ListenAsync(buyer.Cookies);
        using var anonymous = NewClient(new CookieContainer());

        var response = await anonymous.PostAsJsonAsync("/api/users/signout", new { });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        await Task.Delay(300);
        Assert.Equal(HubConnectionState.Connected, tab.Connection.State);
    }

    private sealed record Browser(HttpClient Client, CookieContainer Cookies, Guid Id, string Email);

    private sealed class Listener(HubConnection connection)
    {
        public HubConnection Connection { get; } = connection;

        public BlockingCollection<JsonElement> Orders { get; } = new();

        public BlockingCollection<(string Method, Guid Ticket)> Tickets { get; } = new();

        public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Reconnections;

        public (Guid Id, string? Status) NextOrder()
        {
            Assert.True(Orders.TryTake(out var order, Deadline), $"no OrderUpdated within {Deadline.TotalSeconds} s");
            return (order.GetProperty("id").GetGuid(), order.GetProperty("status").GetString());
        }

        public bool HeardOrder(TimeSpan wait) => Orders.TryTake(out _, wait);

        public Guid NextTicket(string method)
        {
            while (Tickets.TryTake(out var heard, Deadline))
            {
                if (heard.Method == method)
                {
                    return heard.Ticket;
                }
            }

            throw new Xunit.Sdk.XunitException($"no {method} within {Deadline.TotalSeconds} s");
        }

        public async Task AssertClosedAsync()
        {
            var closed = await Task.WhenAny(Closed.Task, Task.Delay(Deadline));
            Assert.True(closed == Closed.Task, $"the connection is still {Connection.State} {Deadline.TotalSeconds} s later");
        }
    }

    private async Task<Listener> ListenAsync(CookieContainer cookies, bool reconnect = false)
    {
        var builder = new HubConnectionBuilder().WithUrl(new Uri(_app.BaseAddress, "/hubs/tickets"), o => o.Cookies = cookies);
        if (reconnect)
        {
            builder.WithAutomaticReconnect([TimeSpan.Zero, TimeSpan.FromMilliseconds(200)]);
        }

        var listener = new Listener(builder.Build());
        listener.Connection.On<JsonElement>("OrderUpdated", listener.Orders.Add);
        foreach (var method in new[] { "TicketCreated", "TicketLocked", "TicketUnlocked" })
        {
            listener.Connection.On<JsonElement>(method, t => listener.Tickets.Add((method, t.GetProperty("id").GetGuid())));
        }

        listener.Connection.Closed += _ =>
        {
            listener.Closed.TrySetResult();
            return Task.CompletedTask;
        };
        listener.Connection.Reconnected += _ =>
        {
            Interlocked.Increment(ref listener.Reconnections);
            return Task.CompletedTask;
        };
        await listener.Connection.StartAsync();
        _listeners.Add(listener);
        return listener;
    }

    private HttpClient NewClient(CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = _app.BaseAddress };

    private async Task<Browser> SignUpAsync()
    {
        var cookies = new CookieContainer();
        var client = NewClient(cookies);
        var email = $"shared-pc-{Guid.NewGuid():N}@example.com";
        var response = await client.PostAsJsonAsync("/api/users/signup", new { email, password = Password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return new Browser(client, cookies, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), email);
    }

    /// <summary>The same account signed in again on another browser: another cookie, another sign-in.</summary>
    private async Task<Browser> SignInAsync(string email, string password = Password)
    {
        var cookies = new CookieContainer();
        var client = NewClient(cookies);
        var response = await client.PostAsJsonAsync("/api/users/signin", new { email, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new Browser(client, cookies, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), email);
    }

    private static async Task<Guid> ListAsync(Browser seller, string title) =>
        (await PostAsync(seller.Client, "/api/tickets", new { title, price = 40 })).GetProperty("id").GetGuid();

    private static async Task<Guid> ReserveAsync(Browser buyer, Guid ticketId) =>
        (await PostAsync(buyer.Client, "/api/orders", new { ticketId })).GetProperty("id").GetGuid();

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string TokenOf(string html) => TokenInput().Match(html) is { Success: true } match
        ? WebUtility.HtmlDecode(match.Groups["token"].Value)
        : throw new InvalidOperationException("The page has no antiforgery token.");

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenInput();
}
