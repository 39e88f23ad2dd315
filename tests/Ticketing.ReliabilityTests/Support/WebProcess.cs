using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ticketing.ReliabilityTests.Support;

/// <summary>
/// Ticketing.Web as a real operating-system process (`dotnet Ticketing.Web.dll`) on its own port
/// and SQLite file, so that it can be killed without warning and started again on the same file.
/// </summary>
public sealed class WebProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private WebProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public int Port => BaseAddress.Port;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process wrote, for failure messages.</summary>
    public string LogTail
    {
        get
        {
            lock (_log)
            {
                var text = _log.ToString();
                return text.Length <= 6_000 ? text : text[^6_000..];
            }
        }
    }

    /// <summary>The app's error lines still held (the unexpected failures behind a 5xx), for failure messages.</summary>
    public string Errors
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log.ToString().Split('\n').Where(l => l.Contains(" fail: ", StringComparison.Ordinal)).Take(10));
            }
        }
    }

    /// <summary>
    /// Starts the app on <paramref name="databasePath"/> and waits until /health/live answers. The
    /// abuse limits are raised far above what the load runs reach unless <paramref name="settings"/>
    /// (environment-variable names, e.g. <c>RateLimiting__AuthPermitLimit</c>) say otherwise.
    /// </summary>
    public static async Task<WebProcess> StartAsync(
        string databasePath,
        int reservationSeconds,
        int? port = null,
        TimeSpan? timeout = null,
        string environment = "Development",
        IReadOnlyDictionary<string, string>? settings = null,
        IReadOnlyList<string>? arguments = null)
    {
        port ??= FreePort();
        var process = Process.Start(StartInfo(databasePath, reservationSeconds, port.Value, environment, settings, arguments))
            ?? throw new InvalidOperationException($"Could not start dotnet {WebDll()}.");
        var web = new WebProcess(process, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            // Generous: on a busy 2-core CI machine the other test assemblies run beside this one.
            await web.WaitForAsync("/health/live", timeout ?? TimeSpan.FromSeconds(120));
        }
        catch
        {
            await web.DisposeAsync();
            throw;
        }

        return web;
    }

    /// <summary>Starts the app and waits for it to exit by itself (a refusal to start); returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(
        string databasePath, string environment, IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var process = Process.Start(StartInfo(databasePath, reservationSeconds: 60, FreePort(), environment, settings))
            ?? throw new InvalidOperationException($"Could not start dotnet {WebDll()}.");
        await using var web = new WebProcess(process, new Uri("http://127.0.0.1"));
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The app was still running after {timeout.TotalSeconds:0} s; it was expected to refuse to start.\n{web.LogTail}");
        }

        // The output readers may still hold the last lines; WaitForExit() without a timeout drains them.
        process.WaitForExit();
        return (process.ExitCode, web.LogTail);
    }

    /// <param name="arguments">The app's command line after the dll, e.g. <c>--demo</c>.</param>
    private static ProcessStartInfo StartInfo(string databasePath, int reservationSeconds, int port, string environment, IReadOnlyDictionary<string, string>? settings, IReadOnlyList<string>? arguments = null)
    {
        var dll = WebDll();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments ?? [])
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        info.Environment["Demo__Seed"] = "false";
        info.Environment["ConnectionStrings__Ticketing"] = $"Data Source={databasePath}";
        info.Environment["Ordering__ReservationSeconds"] = reservationSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["RateLimiting__AuthPermitLimit"] = "100000";
        info.Environment["RateLimiting__OrdersPermitLimit"] = "100000";
        info.Environment["Ordering__MaxLiveOrdersPerBuyer"] = "100000";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return info;
    }

    /// <summary>
    /// The app on Stripe, served by a stub in the test process (which outlives the app's crashes), and
    /// a reconciliation that settles a charge left in flight within seconds rather than minutes.
    /// </summary>
    public static Dictionary<string, string> StripeSettings(string stripeBaseUrl, string webhookSecret) => new()
    {
        ["Stripe__SecretKey"] = Testing.StripeStub.SecretKey,
        ["Stripe__PublishableKey"] = Testing.StripeStub.PublishableKey,
        ["Stripe__ApiBase"] = stripeBaseUrl,
        ["Stripe__WebhookSecret"] = webhookSecret,
        ["Payments__ChargeTimeoutSeconds"] = "3",
        ["Payments__ReconcileAfterSeconds"] = "5",
        ["Payments__ReconcileIntervalSeconds"] = "2",
    };

    /// <summary>Polls <paramref name="path"/> until it answers 200.</summary>
    public async Task WaitForAsync(string path, TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {_process.ExitCode} before {path} answered 200.\n{LogTail}");
            }

            try
            {
                using var response = await client.GetAsync(path);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Too slow to answer yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{path} did not answer 200 within {timeout.TotalSeconds:0} s.\n{LogTail}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: no graceful shutdown, no flush, no chance to finish a transaction.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit(10_000);
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Ticketing.Web.dll in the Web project's own output folder, built in the same configuration
    /// (Debug or Release) as this test assembly: `dotnet test` builds it as a project reference.
    /// </summary>
    public static string WebDll()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Ticketing.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"No Ticketing.sln above {AppContext.BaseDirectory}.");
        }

        var dll = Path.Combine(root.FullName, "Ticketing.Web", "bin", configuration, framework, "Ticketing.Web.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build Ticketing.Web first ({configuration}).", dll);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
            if (_log.Length > 200_000)
            {
                _log.Remove(0, 100_000);
            }
        }
    }
}
