using Ticketing.ReliabilityTests.Support;
using Ticketing.Testing;
using Xunit.Abstractions;

namespace Ticketing.ReliabilityTests;

/// <summary>
/// Crash consistency: 20 users buy and sell over HTTP against the real process, which is
/// SIGKILLed at a seeded random moment of each 30 s load period and started again on the same
/// SQLite file while the users keep going — five times in a row on one database. The app pays
/// through Stripe, served by a stub in this test process, which survives the kills and keeps
/// Stripe's books. After each restart, once expiry, reconciliation and the outbox have caught up,
/// every invariant holds in the file, the payments match Stripe's charges and refunds one for one
/// (charges - refunds = completed orders); and no user ever saw a 5xx.
/// </summary>
public sealed class CrashConsistencyTests(ITestOutputHelper output)
{
    private const int Users = 20;
    private const int ReservationSeconds = 3;
    private const string WebhookSecret = "whsec_reliability_0b1c2d3e4f5a6b7c";

    [Fact]
    public async Task KilledMidLoadAndRestarted_TheDatabaseKeepsEveryInvariant()
    {
        var random = new Random(Knobs.Seed);
        var loadSeconds = Knobs.CrashLoadSeconds;
        var databasePath = TicketingApp.NewDatabasePath();
        var tally = new LoadTally();
        await using var stripe = await StripeStub.StartAsync();
        var settings = WebProcess.StripeSettings(stripe.BaseUrl, WebhookSecret);
        var web = await WebProcess.StartAsync(databasePath, ReservationSeconds, settings: settings);
        try
        {
            // The auth cookies outlive a restart: the data-protection keys are in the database.
            using var users = await SimulatedUsers.SignUpAsync(web.BaseAddress, Users, ticketsEach: 2);
            for (var run = 1; run <= Knobs.CrashRuns; run++)
            {
                var seed = Knobs.Seed + run;
                var loadFor = TimeSpan.FromSeconds(loadSeconds);

                // Leaves a few seconds after the kill so the restart itself happens under load.
                var killAfter = TimeSpan.FromMilliseconds(random.Next(1_000, Math.Max(1_001, (loadSeconds - 4) * 1_000)));
                var before = tally.Requests;
                var port = web.Port;
                using (var stop = new CancellationTokenSource())
                {
                    var started = System.Diagnostics.Stopwatch.StartNew();
                    var load = users.RunAsync(seed, tally, stop.Token);
                    await Task.Delay(killAfter);
                    web.Kill();
                    await web.DisposeAsync();
                    web = await WebProcess.StartAsync(databasePath, ReservationSeconds, port: port, settings: settings);
                    var left = loadFor - started.Elapsed;
                    if (left > TimeSpan.Zero)
                    {
                        await Task.Delay(left);
                    }

                    await stop.CancelAsync();
                    await load;
                }

                output.WriteLine($"run {run}: seed {seed}, {loadSeconds} s of load, SIGKILL after {killAfter.TotalSeconds:0.0} s, restarted under load; {tally.Requests - before} requests");
                await web.WaitForAsync("/health/ready", TimeSpan.FromSeconds(60));
                await TicketingApp.WaitUntilAsync(
                    () => Invariants.IsSettledAsync(databasePath),
                    TimeSpan.FromSeconds(ReservationSeconds + 60),
                    $"run {run}: every overdue order expired, every charge in flight was settled and every outbox message was processed");

                var broken = await Invariants.BrokenAsync(databasePath, settled: true, stripe);
                output.WriteLine($"run {run}: after restart (tickets, orders, complete, payments, outbox) = {await Invariants.CountsAsync(databasePath)}; Stripe: {stripe.Charges.Count} charges, {stripe.Refunds.Count} refunds");
                Assert.True(broken.Count == 0, $"run {run} (seed {seed}): {broken.Count} invariants broken after the crash:\n{string.Join("\n", broken)}");
            }

            output.WriteLine($"all runs: {tally.Summary()}; connection failures while down {tally.ConnectionFailures}");
            Assert.True(tally.ServerErrors.Count == 0, $"users saw {tally.ServerErrors.Count} 5xx:\n{string.Join("\n", tally.ServerErrors.Take(20))}");
            Assert.True(tally.Count("reserve 201") > 0 && tally.Count("pay 201") > 0, $"the load never reserved and paid ({tally.Summary()}).");
        }
        finally
        {
            await web.DisposeAsync();
            TicketingApp.DeleteDatabase(databasePath);
        }
    }
}
