using System.Diagnostics;
using Ticketing.ReliabilityTests.Support;
using Ticketing.Testing;
using Xunit.Abstractions;

namespace Ticketing.ReliabilityTests;

/// <summary>
/// Issue 6, load held: 20 users as fast as they can against the real process for 60 s
/// (RELIABILITY_HELD_SECONDS shortens it for a quick local check): no 5xx, no ticket sold twice,
/// and the rate printed.
/// </summary>
public sealed class HeldLoadTests(ITestOutputHelper output)
{
    private const int Users = 20;
    private const int ReservationSeconds = 3;

    [Fact]
    public async Task TwentyUsersFlatOut_NeverSeeA5xxAndNeverDoubleSell()
    {
        var databasePath = TicketingApp.NewDatabasePath();
        try
        {
            await using var web = await WebProcess.StartAsync(databasePath, ReservationSeconds);
            using var users = await SimulatedUsers.SignUpAsync(web.BaseAddress, Users, ticketsEach: 3);
            var tally = new LoadTally();
            var seconds = Knobs.HeldLoadSeconds;
            var clock = Stopwatch.StartNew();
            using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds)))
            {
                await users.RunAsync(Knobs.Seed, tally, stop.Token);
            }

            clock.Stop();
            var rate = tally.Requests / clock.Elapsed.TotalSeconds;
            output.WriteLine($"{tally.Requests} requests in {clock.Elapsed.TotalSeconds:0.0} s = {rate:0} requests/s with {Users} users ({Environment.ProcessorCount} cores); {tally.Summary()}");

            await TicketingApp.WaitUntilAsync(() => Invariants.IsSettledAsync(databasePath), TimeSpan.FromSeconds(ReservationSeconds + 60), "the load settled");
            var broken = await Invariants.BrokenAsync(databasePath, settled: true);
            Assert.True(broken.Count == 0, $"{broken.Count} invariants broken under load:\n{string.Join("\n", broken)}");
            Assert.True(tally.ServerErrors.Count == 0, $"users saw {tally.ServerErrors.Count} 5xx:\n{string.Join("\n", tally.ServerErrors.Take(20))}\nthe app's errors:\n{web.Errors}");
            Assert.Equal(0, tally.ConnectionFailures);
            Assert.True(tally.Count("pay 201") > 0, $"nothing was sold ({tally.Summary()}).");
        }
        finally
        {
            TicketingApp.DeleteDatabase(databasePath);
        }
    }
}
