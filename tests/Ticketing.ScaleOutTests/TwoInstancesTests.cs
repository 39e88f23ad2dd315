using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Ticketing.ScaleOutTests;

public sealed class TwoInstancesFixture : IAsyncLifetime
{
    public LiveCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await LiveCluster.StartAsync(reservationSeconds: 120);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>One two-instance cluster shared by the classes that leave it running.</summary>
[CollectionDefinition(Name)]
public sealed class TwoInstancesCollection : ICollectionFixture<TwoInstancesFixture>
{
    public const string Name = "two instances";
}

/// <summary>Two real instances sharing a database and Redis: what one does, the other sees.</summary>
[Collection(TwoInstancesCollection.Name)]
public sealed class TwoInstancesTests(TwoInstancesFixture fixture)
{
    private LiveCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task A_ticket_reserved_through_instance_A_reaches_a_SignalR_client_on_instance_B_within_a_second()
    {
        var (seller, _) = await LiveCluster.SignUpAsync(Cluster.A.BaseAddress);
        var (buyer, _) = await LiveCluster.SignUpAsync(Cluster.A.BaseAddress);

        var created = new ConcurrentQueue<JsonElement>();
        var locked = new TaskCompletionSource<(JsonElement Ticket, long At)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(Cluster.B.BaseAddress, "/hubs/tickets")).Build();
        hub.On<JsonElement>("TicketCreated", t => created.Enqueue(t));
        hub.On<JsonElement>("TicketLocked", t => locked.TrySetResult((t, clock.ElapsedMilliseconds)));
        await hub.StartAsync();

        var ticketId = await LiveCluster.ListTicketAsync(seller, "Scale-out live push");
        // The listing's own event proves the path A → Redis → B is up before the timed reservation.
        await WaitUntilAsync(() => created.Any(t => Id(t) == ticketId), TimeSpan.FromSeconds(10), "TicketCreated reaches the client on B");

        var sentAt = clock.ElapsedMilliseconds;
        var response = await buyer.PostAsJsonAsync("/api/orders", new { ticketId });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var (ticket, at) = await locked.Task.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(ticketId, Id(ticket));
        Assert.True(at - sentAt <= 1000, $"TicketLocked took {at - sentAt} ms from A's reservation to B's client.");
    }

    [Fact]
    public async Task A_sign_in_cookie_issued_by_instance_A_is_honoured_by_instance_B()
    {
        var (_, email) = await LiveCluster.SignUpAsync(Cluster.A.BaseAddress);
        using var plain = new HttpClient(new SocketsHttpHandler { UseCookies = false });

        var signIn = await plain.PostAsJsonAsync(new Uri(Cluster.A.BaseAddress, "/api/users/signin"), new { email, password = LiveCluster.Password });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ticketing.auth=", StringComparison.Ordinal));

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Cluster.B.BaseAddress, "/api/users/currentuser"));
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        var current = await plain.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        var user = (await current.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("currentUser");
        Assert.Equal(JsonValueKind.Object, user.ValueKind);
        Assert.Equal(email, user.GetProperty("email").GetString());
    }

    /// <summary>
    /// The hub needs no affinity: a sign-in's connection may be on one instance and its sign-out
    /// reach another. The sign-out ends it all the same, through the Redis relay.
    /// </summary>
    [Fact]
    public async Task Signing_out_through_instance_A_ends_that_sign_ins_hub_connection_on_instance_B()
    {
        var (_, email) = await LiveCluster.SignUpAsync(Cluster.A.BaseAddress);
        var cookies = new CookieContainer(); // cookies go by host, not port: A's cookie is sent to B too
        using var browser = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, UseCookies = true }) { BaseAddress = Cluster.A.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsJsonAsync("/api/users/signin", new { email, password = LiveCluster.Password })).StatusCode);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(Cluster.B.BaseAddress, "/hubs/tickets"), o => o.Cookies = cookies).Build();
        hub.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await hub.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsJsonAsync("/api/users/signout", new { })).StatusCode);

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Forty_buyers_racing_through_nginx_across_both_instances_never_double_sell_a_ticket()
    {
        var (seller, _) = await LiveCluster.SignUpAsync(Cluster.Nginx);
        var tickets = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            tickets.Add(await LiveCluster.ListTicketAsync(seller, $"Race {i}"));
        }

        var buyers = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ => (await LiveCluster.SignUpAsync(Cluster.Nginx)).Client));
        var answers = new ConcurrentBag<(Guid Ticket, HttpStatusCode Status)>();
        using var start = new SemaphoreSlim(0);
        var races = buyers.Select((buyer, i) => Task.Run(async () =>
        {
            await start.WaitAsync();
            foreach (var ticketId in tickets.OrderBy(t => HashCode.Combine(t, i)))
            {
                var response = await buyer.PostAsJsonAsync("/api/orders", new { ticketId });
                answers.Add((ticketId, response.StatusCode));
            }
        })).ToList();
        start.Release(buyers.Length);
        await Task.WhenAll(races);

        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.Created or HttpStatusCode.BadRequest, $"an order answered {(int)a.Status}"));
        Assert.All(tickets, t => Assert.Equal(1, answers.Count(a => a.Ticket == t && a.Status == HttpStatusCode.Created)));

        var ids = string.Join(',', tickets.Select(t => $"'{t.ToString().ToUpperInvariant()}'"));
        var live = Cluster.Query(
            $"SELECT upper(TicketId), COUNT(*) FROM orders WHERE upper(TicketId) IN ({ids}) AND Status IN ('Created','AwaitingPayment','Complete') GROUP BY upper(TicketId)",
            r => (Ticket: r.GetString(0), Count: r.GetInt32(1)));
        Assert.Equal(10, live.Count);
        Assert.All(live, l => Assert.Equal(1, l.Count));

        // Affinity spread the buyers: nginx's log names the instance that served each reservation.
        var upstreams = File.ReadAllLines(Cluster.NginxAccessLog)
            .Select(l => l.Split(' '))
            .Where(f => f is [_, "POST", "/api/orders", _])
            .GroupBy(f => f[0])
            .ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(400, upstreams.Values.Sum());
        Assert.Equal(
            new[] { Cluster.A.BaseAddress.Port, Cluster.B.BaseAddress.Port }.Order(),
            upstreams.Keys.Select(k => new Uri($"http://{k}").Port).Order());
    }

    private static Guid Id(JsonElement ticket) => ticket.GetProperty("id").GetGuid();

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {because}.");
            }

            await Task.Delay(20);
        }
    }
}
