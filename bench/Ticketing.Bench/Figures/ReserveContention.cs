using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace Ticketing.Bench.Figures;

/// <summary>
/// B1b: 100 buyers race for 10 hot tickets; every outcome must be a win or a clean "already reserved",
/// and no ticket may be sold twice. Compared with B1's reservation rate.
/// </summary>
internal static class ReserveContention
{
    public static async Task<Row> RunAsync(BenchApp app, double b1Rate, int rounds, int seconds, Action<string> log)
    {
        const int clients = 100;
        const int hot = 10;
        log($"B1b: {clients} clients on {hot} hot tickets, {seconds} s per round");
        var seller = await app.SignUpAsync();
        var buyers = await app.SignUpManyAsync(clients);

        var rates = new List<double>();
        long doubleSells = 0, others = 0, successesTotal = 0;
        for (var round = 0; round < rounds; round++)
        {
            var tickets = await BenchApp.CreateTicketsAsync(seller, hot);
            var successes = new int[hot];
            long clean = 0;
            var stop = Stopwatch.StartNew();
            var deadline = TimeSpan.FromSeconds(seconds);
            await Task.WhenAll(buyers.Select(async (buyer, index) =>
            {
                var t = index % hot;
                while (stop.Elapsed < deadline)
                {
                    using var response = await buyer.PostAsJsonAsync("/api/orders", new { ticketId = tickets[t] });
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        Interlocked.Increment(ref successes[t]);
                    }
                    else if (response.StatusCode == HttpStatusCode.BadRequest
                        && (await response.Content.ReadAsStringAsync()).Contains("Ticket is already reserved", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref clean);
                    }
                    else
                    {
                        Interlocked.Increment(ref others);
                    }
                }
            }));
            var elapsed = stop.Elapsed.TotalSeconds;
            var ok = successes.Sum();
            successesTotal += ok;
            doubleSells += successes.Sum(s => Math.Max(0, s - 1));
            rates.Add((ok + clean) / elapsed);
            log($"  round {round + 1}: {(ok + clean) / elapsed:0} clean outcomes/s ({ok} won, {clean} clean 400s), double-sells so far {doubleSells}, load {Stats.LoadAverage()}");
        }

        var a = Stats.Median(rates);
        return new Row("B1b contention (100 clients, 10 hot tickets)", "clean outcomes/s vs B1 reservations/s", a, b1Rate, a / b1Rate, "≥ 0.8, 0 double-sells", a / b1Rate >= 0.8 && doubleSells == 0,
            $"{successesTotal} wins over {rounds} rounds × 10 tickets; double-sells: **{doubleSells}**; other responses: {others}. Load average after the figure: {Stats.LoadAverage()}.");
    }
}
