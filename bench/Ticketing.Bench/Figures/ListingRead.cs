using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticketing.Infrastructure.Tickets;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Ticketing.Bench.Figures;

/// <summary>
/// B2: a page of the public list (<c>GET /api/tickets?limit=100</c>) with a large market behind it,
/// against the same bytes served from memory by the same app.
/// </summary>
internal static class ListingRead
{
    private const string Path = "/api/tickets?limit=100";
    private const int Concurrency = 32;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<Row> RunAsync(int listings, int rounds, int seconds, Action<string> log)
    {
        var loadBefore = Stats.LoadAverage();
        log($"B2: GET {Path} with {listings:N0} listings, {Concurrency} concurrent clients, {seconds} s per round");
        using var app = new BenchApp();
        await app.ListTicketsAsync(listings);
        using var reader = app.NewClient();
        using var first = await reader.GetAsync(Path);
        first.EnsureSuccessStatusCode();
        var body = await first.Content.ReadAsByteArrayAsync();
        var hasNext = first.Headers.TryGetValues("Link", out var link) && link.Any(l => l.Contains("rel=\"next\"", StringComparison.Ordinal));
        var items = JsonDocument.Parse(body).RootElement.GetArrayLength();
        if (items != 100 || !hasNext)
        {
            throw new InvalidOperationException($"{Path} returned {items} listings (next page: {hasNext}), expected 100 and a next page.");
        }

        app.StaticBody = body;
        if (!(await reader.GetByteArrayAsync(BenchApp.StaticPath)).AsSpan().SequenceEqual(body))
        {
            throw new InvalidOperationException("The static baseline does not serve the same bytes.");
        }

        var (queryMs, serializeMs) = await ProbeAsync(app);
        var clients = Enumerable.Range(0, Concurrency).Select(_ => app.NewClient()).ToArray();

        // Untimed, so that both paths are compiled at their final tier before the rounds.
        await LoadAsync(clients, Path, Math.Max(2, seconds / 2), body.Length);
        await LoadAsync(clients, BenchApp.StaticPath, Math.Max(2, seconds / 2), body.Length);
        var appRates = new List<double>();
        var staticRates = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            appRates.Add(await LoadAsync(clients, Path, seconds, body.Length));
            staticRates.Add(await LoadAsync(clients, BenchApp.StaticPath, seconds, body.Length));
            log($"  round {round + 1}: app {appRates[^1]:0} req/s, static {staticRates[^1]:0} req/s");
        }

        foreach (var client in clients)
        {
            client.Dispose();
        }

        var a = Stats.Median(appRates);
        var b = Stats.Median(staticRates);
        return new Row($"B2 listing read ({listings:N0} listings, limit=100)", "req/s", a, b, a / b, "≥ 0.5", a / b >= 0.5,
            string.Create(Inv, $"`GET {Path}`: the first page of {listings:N0} (newest first, with its `Link` to the next), {body.Length / 1024.0:0} KB JSON per response, {Concurrency} concurrent keep-alive clients, {seconds} s per round after an untimed warm-up of each, app and baseline interleaved round by round; median of {rounds} rounds (app {string.Join(", ", appRates.Select(r => r.ToString("0", Inv)))}; baseline {string.Join(", ", staticRates.Select(r => r.ToString("0", Inv)))}). ")
            + "Baseline: the same bytes from memory via a bench-only middleware in the same app (no `Link` header). "
            + string.Create(Inv, $"One request in-process, uncached, no load: EF query + mapping {queryMs:0.0} ms, JSON serialization {serializeMs:0.0} ms; between commits the endpoint serves the page cached under the database's commit stamp (decision 7). ")
            + $"Load average before / after: {loadBefore} / {Stats.LoadAverage()}.");
    }

    /// <summary>Where an uncached request's time goes, one at a time in-process: the EF query and mapping against the JSON write.</summary>
    private static async Task<(double QueryMs, double SerializeMs)> ProbeAsync(BenchApp app)
    {
        using var scope = app.Services.CreateScope();
        var listings = scope.ServiceProvider.GetRequiredService<TicketListings>();
        var json = app.Services.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;
        double queryMs = 0, serializeMs = 0;
        const int probes = 10;
        for (var i = 0; i < probes; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            var page = (await listings.ListAsync(new TicketFilter(), after: null, limit: 100)).Items;
            var t1 = Stopwatch.GetTimestamp();
            using var sink = new MemoryStream();
            await JsonSerializer.SerializeAsync(sink, page, json);
            var t2 = Stopwatch.GetTimestamp();
            if (i > 0)
            {
                queryMs += Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
                serializeMs += Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds;
            }
        }

        return (queryMs / (probes - 1), serializeMs / (probes - 1));
    }

    private static async Task<double> LoadAsync(HttpClient[] clients, string path, int seconds, int expectedLength)
    {
        long count = 0;
        var sw = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(clients.Select(async client =>
        {
            while (sw.Elapsed < deadline)
            {
                var bytes = await client.GetByteArrayAsync(path);
                if (bytes.Length != expectedLength)
                {
                    throw new InvalidOperationException($"{path} returned {bytes.Length} bytes, expected {expectedLength}.");
                }

                Interlocked.Increment(ref count);
            }
        }));
        return count / sw.Elapsed.TotalSeconds;
    }
}
