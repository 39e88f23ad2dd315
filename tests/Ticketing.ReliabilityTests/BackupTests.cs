using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Ticketing.ReliabilityTests.Support;
using Ticketing.Testing;
using Xunit.Abstractions;

namespace Ticketing.ReliabilityTests;

/// <summary>
/// The documented backup (<c>dotnet Ticketing.Web.dll --backup FILE</c>, i.e. <c>VACUUM INTO</c>)
/// taken from a live database while 20 users buy and sell, restored into a fresh instance: the
/// copy is a consistent database on which every invariant holds once the restored instance has
/// expired the copied reservations and dispatched the copied outbox.
/// </summary>
public sealed class BackupTests(ITestOutputHelper output)
{
    private const int ReservationSeconds = 3;

    private static readonly Dictionary<string, string> FastReconciliation = new()
    {
        ["Payments__ReconcileAfterSeconds"] = "2",
        ["Payments__ReconcileIntervalSeconds"] = "1",
    };

    [Fact]
    public async Task BackupTakenUnderLoad_RestoresIntoAFreshInstance_WithEveryInvariant()
    {
        var live = TicketingApp.NewDatabasePath();
        var backups = new[] { TicketingApp.NewDatabasePath(), TicketingApp.NewDatabasePath() };
        var tally = new LoadTally();
        try
        {
            await using (var web = await WebProcess.StartAsync(live, ReservationSeconds))
            {
                using var users = await SimulatedUsers.SignUpAsync(web.BaseAddress, 20, ticketsEach: 2);
                using var stop = new CancellationTokenSource();
                var load = users.RunAsync(Knobs.Seed, tally, stop.Token);
                foreach (var backup in backups)
                {
                    await Task.Delay(TimeSpan.FromSeconds(5));
                    var before = tally.Requests;
                    var (exitCode, text) = await RunBackupAsync(live, backup);
                    output.WriteLine($"backup to {backup}: exit {exitCode}, {tally.Requests - before} requests served meanwhile; {text.Trim()}");
                    Assert.True(exitCode == 0, text);
                }

                await stop.CancelAsync();
                await load;
                Assert.True(tally.ServerErrors.Count == 0, $"users saw {tally.ServerErrors.Count} 5xx:\n{string.Join("\n", tally.ServerErrors.Take(20))}");
            }

            output.WriteLine($"load: {tally.Summary()}");
            foreach (var backup in backups)
            {
                Assert.Equal("ok", IntegrityCheck(backup));
                var copied = await Invariants.CountsAsync(backup);
                output.WriteLine($"{backup}: (tickets, orders, complete, payments, outbox) = {copied}");
                Assert.True(copied.Orders > 0 && copied.Complete > 0, "the backup was taken before the load reserved and paid anything");
                Assert.Empty(await Invariants.BrokenAsync(backup, settled: false));

                // A backup can catch a charge in flight (the order claimed, the gateway's answer not yet
                // saved); the restored instance settles it through reconciliation, here within seconds.
                await using var restored = await WebProcess.StartAsync(backup, ReservationSeconds, settings: FastReconciliation);
                await restored.WaitForAsync("/health/ready", TimeSpan.FromSeconds(60));
                await TicketingApp.WaitUntilAsync(
                    () => Invariants.IsSettledAsync(backup),
                    TimeSpan.FromSeconds(ReservationSeconds + 60),
                    "the restored instance expired the copied reservations and dispatched the copied outbox");
                var broken = await Invariants.BrokenAsync(backup, settled: true);
                Assert.True(broken.Count == 0, $"{broken.Count} invariants broken in the restored database:\n{string.Join("\n", broken)}");
            }
        }
        finally
        {
            TicketingApp.DeleteDatabase(live);
            foreach (var backup in backups)
            {
                TicketingApp.DeleteDatabase(backup);
            }
        }
    }

    /// <summary>The command the README documents, run as its own process beside the live app.</summary>
    private static async Task<(int ExitCode, string Output)> RunBackupAsync(string live, string backup)
    {
        var dll = WebProcess.WebDll();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--backup");
        info.ArgumentList.Add(backup);
        info.Environment["ConnectionStrings__Ticketing"] = $"Data Source={live}";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string IntegrityCheck(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return (string)command.ExecuteScalar()!;
    }
}
