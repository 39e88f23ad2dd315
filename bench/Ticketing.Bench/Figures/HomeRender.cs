using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Tickets;

namespace Ticketing.Bench.Figures;

/// <summary>
/// B6: the server render of <c>/</c> (the prerendered HTML a browser first receives) with a large
/// market, against the same page with a handful of listings: both apps run side by side in the bench
/// process and are asked in turn, one request at a time.
/// </summary>
internal static partial class HomeRender
{
    private const double MaxHtmlBytes = 150_000;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<Row> RunAsync(int listings, int fewListings, int rounds, int requests, Action<string> log)
    {
        var loadBefore = Stats.LoadAverage();
        log($"B6: GET / with {listings:N0} listings against {fewListings}, {requests} requests each per round, {rounds} rounds");
        using var large = new BenchApp();
        using var small = new BenchApp();
        await large.ListTicketsAsync(listings);
        await small.ListTicketsAsync(fewListings);
        using var largeClient = large.NewClient();
        using var smallClient = small.NewClient();

        var largeHtml = await CheckAsync(largeClient, Math.Min(listings, 24));
        var smallHtml = await CheckAsync(smallClient, Math.Min(fewListings, 24));

        var (largeQueryMs, smallQueryMs) = (await ProbeQueryAsync(large), await ProbeQueryAsync(small));

        // Warm both (JIT, EF's query cache, MudBlazor's first render) outside the timing.
        for (var i = 0; i < 30; i++)
        {
            await TimeAsync(largeClient);
            await TimeAsync(smallClient);
        }

        var largeP50 = new List<double>();
        var smallP50 = new List<double>();
        var largeAll = new List<double>();
        var smallAll = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var l = new List<double>(requests);
            var s = new List<double>(requests);

            // Alternating request by request, so that both see the same moments of a shared machine.
            for (var i = 0; i < requests; i++)
            {
                l.Add(await TimeAsync(largeClient));
                s.Add(await TimeAsync(smallClient));
            }

            largeP50.Add(Stats.Median(l));
            smallP50.Add(Stats.Median(s));
            largeAll.AddRange(l);
            smallAll.AddRange(s);
            log($"  round {round + 1}: p50 {largeP50[^1]:0.00} ms ({listings:N0}) vs {smallP50[^1]:0.00} ms ({fewListings}), load {Stats.LoadAverage()}");
        }

        var a = Stats.Median(largeP50);
        var b = Stats.Median(smallP50);
        var ratio = a / b;
        return new Row($"B6 home render ({listings:N0} vs {fewListings} listings)", "p50 ms per `GET /` (lower is better)", a, b, ratio, "≤ 1.5×, HTML ≤ 150 kB", ratio <= 1.5 && largeHtml.Bytes <= MaxHtmlBytes,
            string.Create(Inv, $"`GET /` signed out, the whole prerendered page read to its end over a keep-alive connection, one request at a time, the two apps alternating request by request; {requests} requests each per round after 30 untimed each, median of the {rounds} rounds' p50s (rounds {string.Join(", ", largeP50.Select(v => v.ToString("0.00", Inv)))} ms against {string.Join(", ", smallP50.Select(v => v.ToString("0.00", Inv)))} ms); p95 over all rounds {Stats.Percentile(largeAll, 0.95):0.00} ms against {Stats.Percentile(smallAll, 0.95):0.00} ms. ")
            + string.Create(Inv, $"HTML: **{largeHtml.Bytes / 1000.0:0.0} kB** with {listings:N0} listings ({largeHtml.Cards} cards, {largeHtml.Elements:N0} elements), {smallHtml.Bytes / 1000.0:0.0} kB with {fewListings} ({smallHtml.Cards} cards, {smallHtml.Elements:N0} elements), uncompressed. ")
            + string.Create(Inv, $"The page's query alone (count and first page of 24, in-process, one at a time): {largeQueryMs:0.00} ms with {listings:N0} listings, {smallQueryMs:0.00} ms with {fewListings}. ")
            + $"Load average before / after: {loadBefore} / {Stats.LoadAverage()}.");
    }

    /// <summary>Median time of the home page's query (the count and the first page, newest first), in-process.</summary>
    private static async Task<double> ProbeQueryAsync(BenchApp app)
    {
        using var scope = app.Services.CreateScope();
        var listings = scope.ServiceProvider.GetRequiredService<TicketListings>();
        var times = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await listings.PageAsync(new TicketFilter(), TicketSort.Newest, 1, 24);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return Stats.Median(times.Skip(5));
    }

    private static async Task<double> TimeAsync(HttpClient client)
    {
        var start = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync("/", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        await body.CopyToAsync(Stream.Null);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static async Task<(int Bytes, int Cards, int Elements)> CheckAsync(HttpClient client, int expectedCards)
    {
        var html = await client.GetByteArrayAsync("/");
        var text = System.Text.Encoding.UTF8.GetString(html);
        var cards = CardPattern().Count(text);
        if (cards != expectedCards)
        {
            throw new InvalidOperationException($"GET / rendered {cards} cards, expected {expectedCards}.");
        }

        return (html.Length, cards, ElementPattern().Count(text));
    }

    [GeneratedRegex("data-ticket-id=")]
    private static partial Regex CardPattern();

    [GeneratedRegex("<[a-zA-Z]")]
    private static partial Regex ElementPattern();
}
