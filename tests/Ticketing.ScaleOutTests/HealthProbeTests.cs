using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Ticketing.ScaleOutTests;

/// <summary>The Dockerfile's HEALTHCHECK command, run as written against a live instance and a dead port.</summary>
[Collection(TwoInstancesCollection.Name)]
public sealed class HealthProbeTests(TwoInstancesFixture fixture)
{
    [Fact]
    public async Task DockerHealthCheck_ExitsZeroForAReadyInstance_AndNonZeroWhenNothingAnswers()
    {
        var ready = await RunHealthCheckAsync(fixture.Cluster.A.BaseAddress.Port);
        var dead = await RunHealthCheckAsync(UnusedPort());

        Assert.True(ready.ExitCode == 0, ready.Output);
        Assert.True(dead.ExitCode != 0, dead.Output);
    }

    /// <summary>The command with the image's paths and port swapped for this machine's.</summary>
    private static async Task<(int ExitCode, string Output)> RunHealthCheckAsync(int port)
    {
        var command = DeploymentFilesTests.DockerfileHealthCheck();
        var dll = Path.Combine(Repo.Root, "Ticketing.Web", "bin", new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name,
            new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name, "Ticketing.Web.dll");
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument == "Ticketing.Web.dll" ? dll : argument.Replace(":8080/", $":{port}/", StringComparison.Ordinal));
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output + await error);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
