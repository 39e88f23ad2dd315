using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ticketing.Bench.Figures;

/// <summary>
/// B3: N SignalR clients on <c>/hubs/tickets</c> hear each reservation's <c>TicketLocked</c>, against
/// a bare hub in the bench process that broadcasts the same payload inside its trigger request.
/// </summary>
internal static class LiveFanOut
{
    public static async Task<Row> RunAsync(BenchApp app, int clients, int triggers, int rounds, Action<string> log)
    {
        log($"B3: {clients} SignalR clients, {triggers} lock changes per round");
        var seller = await app.SignUpAsync();
        var tickets = await BenchApp.CreateTicketsAsync(seller, triggers * (rounds + 1));

        // A buyer may hold only five live reservations: four tickets each, in turn.
        var buyers = await app.SignUpManyAsync((tickets.Count + 3) / 4);

        var probe = new Receiver(clients);
        var appConnections = await ConnectAsync(new Uri(app.BaseAddress, "/hubs/tickets"), clients, probe);
        var ticketIndex = 0;
        Task FireApp()
        {
            var i = ticketIndex++;
            return ReserveAsync(buyers[i / 4], tickets[i]);
        }

        // One untimed round each to warm both paths up; the app's also captures the payload the bare hub sends.
        await FanOutAsync(probe, clients, triggers, FireApp);
        var bare = await BareHubHost.StartAsync(probe.LastPayload);
        var bareProbe = new Receiver(clients);
        var bareConnections = await ConnectAsync(new Uri(bare.Address, "/hubs/bare"), clients, bareProbe);
        using var trigger = new HttpClient { BaseAddress = bare.Address };
        async Task FireBare()
        {
            using var response = await trigger.PostAsync("/trigger", null);
            response.EnsureSuccessStatusCode();
        }

        await FanOutAsync(bareProbe, clients, triggers, FireBare);

        // Interleaved round by round, so that both see the same machine.
        var appRates = new List<double>();
        var appLatencies = new List<double>();
        var bareRates = new List<double>();
        var bareLatencies = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var (rate, lat) = await FanOutAsync(probe, clients, triggers, FireApp);
            appRates.Add(rate);
            appLatencies.AddRange(lat);
            var (bareRate, bareLat) = await FanOutAsync(bareProbe, clients, triggers, FireBare);
            bareRates.Add(bareRate);
            bareLatencies.AddRange(bareLat);
            log($"  round {round + 1}: app {rate:0} msg/s (p99 {Stats.Percentile(lat, 0.99):0.0} ms), bare {bareRate:0} msg/s (p99 {Stats.Percentile(bareLat, 0.99):0.0} ms)");
        }

        await DisposeAllAsync(appConnections);
        await DisposeAllAsync(bareConnections);
        await bare.App.StopAsync();
        await bare.App.DisposeAsync();

        var a = Stats.Median(appRates);
        var b = Stats.Median(bareRates);
        var p50 = Stats.Percentile(appLatencies, 0.50);
        var p99 = Stats.Percentile(appLatencies, 0.99);
        var bp50 = Stats.Percentile(bareLatencies, 0.50);
        var bp99 = Stats.Percentile(bareLatencies, 0.99);
        return new Row($"B3 live fan-out (N={clients})", "delivered msg/s", a, b, a / b, "≥ 0.9, p99 ≤ 100 ms", a / b >= 0.9 && p99 <= 100,
            $"Latency API response → receipt: app p50 {p50:0.0} ms / p99 {p99:0.0} ms; bare p50 {bp50:0.0} ms / p99 {bp99:0.0} ms (negative = pushed before the response arrived). {triggers} sequential lock changes per round, each awaited until all {clients} clients received it; one untimed warm-up round each, then app and bare rounds interleaved. Load average after the figure: {Stats.LoadAverage()}.");
    }

    private static async Task ReserveAsync(HttpClient buyer, Guid ticketId)
    {
        using var response = await buyer.PostAsJsonAsync("/api/orders", new { ticketId });
        response.EnsureSuccessStatusCode();
    }

    private sealed class Receiver(int clients)
    {
        public readonly long[] Stamps = new long[clients];
        public int Received;
        public JsonElement LastPayload;

        public void OnMessage(JsonElement payload)
        {
            var now = Stopwatch.GetTimestamp();
            var i = Interlocked.Increment(ref Received) - 1;
            if (i < Stamps.Length)
            {
                Stamps[i] = now;
            }

            if (i == 0)
            {
                LastPayload = payload;
            }
        }
    }

    private static async Task<List<HubConnection>> ConnectAsync(Uri url, int count, Receiver receiver)
    {
        var connections = new List<HubConnection>(count);
        for (var i = 0; i < count; i += 50)
        {
            var batch = Enumerable.Range(0, Math.Min(50, count - i)).Select(async _ =>
            {
                var connection = new HubConnectionBuilder()
                    .WithUrl(url, HttpTransportType.WebSockets, o => o.SkipNegotiation = true)
                    .Build();
                connection.ServerTimeout = TimeSpan.FromMinutes(5);
                connection.On<JsonElement>("TicketLocked", receiver.OnMessage);
                await connection.StartAsync();
                return connection;
            });
            connections.AddRange(await Task.WhenAll(batch));
        }

        return connections;
    }

    private static async Task DisposeAllAsync(List<HubConnection> connections)
    {
        foreach (var chunk in connections.Chunk(100))
        {
            await Task.WhenAll(chunk.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    private static async Task<(double Rate, List<double> Latencies)> FanOutAsync(Receiver receiver, int clients, int triggers, Func<Task> fire)
    {
        var latencies = new List<double>();
        var delivered = 0L;
        var sw = Stopwatch.StartNew();
        for (var k = 0; k < triggers; k++)
        {
            Volatile.Write(ref receiver.Received, 0);
            await fire();
            var responded = Stopwatch.GetTimestamp();
            var wait = Stopwatch.StartNew();
            while (Volatile.Read(ref receiver.Received) < clients && wait.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(1);
            }

            var got = Math.Min(Volatile.Read(ref receiver.Received), clients);
            delivered += got;
            for (var j = 0; j < got; j++)
            {
                // Signed: a client that heard the push before the API's answer arrived counts negative.
                latencies.Add(Stopwatch.GetElapsedTime(responded, receiver.Stamps[j]).TotalMilliseconds);
            }
        }

        return (delivered / sw.Elapsed.TotalSeconds, latencies);
    }

    private sealed class BareHub : Hub;

    private sealed record BareHubHost(WebApplication App, Uri Address)
    {
        public static async Task<BareHubHost> StartAsync(JsonElement payload)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Services.AddSignalR();
            var app = builder.Build();
            app.UseWebSockets();
            app.MapHub<BareHub>("/hubs/bare");
            app.MapPost("/trigger", async (IHubContext<BareHub> hub) =>
            {
                await hub.Clients.All.SendAsync("TicketLocked", payload);
                return Results.Ok();
            });
            await app.StartAsync();
            return new BareHubHost(app, new Uri(app.Urls.First()));
        }
    }
}
