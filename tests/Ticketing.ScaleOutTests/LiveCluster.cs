using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Ticketing.Testing;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Ticketing.ScaleOutTests;

/// <summary>How the instances of a <see cref="LiveCluster"/> run.</summary>
/// <param name="Environment">ASPNETCORE_ENVIRONMENT of both instances.</param>
/// <param name="RaiseLimits">Lifts the abuse limits far above what the tests send (off: the shipped limits).</param>
/// <param name="Settings">More environment variables for both instances.</param>
public sealed record ClusterOptions(string Environment = "Development", bool RaiseLimits = true, IReadOnlyDictionary<string, string>? Settings = null)
{
    /// <summary>
    /// Outside Development the app serves its static files (blazor.web.js, MudBlazor's) only from a
    /// published folder, as in the Docker image; a plain build has them only through Development's
    /// static-web-assets manifest.
    /// </summary>
    public bool Published => Environment != "Development";
}

/// <summary>
/// Two Ticketing instances as real processes (the built Ticketing.Web.dll) on loopback, sharing one
/// SQLite file and a real redis-server, behind a real nginx using deploy/nginx/nginx.conf (TLS with a
/// certificate made by deploy/nginx/self-signed-cert.sh, and its own affinity scheme).
/// </summary>
public sealed class LiveCluster : IAsyncDisposable
{
    /// <summary>The certificates the clusters' nginx present, by thumbprint: trusted by <see cref="Client"/>.</summary>
    private static readonly ConcurrentDictionary<string, bool> TrustedCertificates = new(StringComparer.OrdinalIgnoreCase);

    private readonly string _folder;
    private readonly ClusterOptions _options;
    private readonly List<Process> _processes = [];

    private LiveCluster(string folder, string databasePath, ClusterOptions options)
    {
        _folder = folder;
        _options = options;
        DatabasePath = databasePath;
    }

    public string DatabasePath { get; }

    public int RedisPort { get; private set; }

    public Process Redis { get; private set; } = null!;

    public AppInstance A { get; private set; } = null!;

    public AppInstance B { get; private set; } = null!;

    /// <summary>nginx's HTTPS address.</summary>
    public Uri Nginx { get; private set; } = null!;

    /// <summary>nginx's plain-HTTP address, which only redirects to HTTPS.</summary>
    public Uri NginxHttp { get; private set; } = null!;

    public string NginxAccessLog => Path.Combine(_folder, "nginx", "access.log");

    public static async Task<LiveCluster> StartAsync(int reservationSeconds, ClusterOptions? options = null)
    {
        var redisServer = Binary.Find("redis-server");
        var nginx = Binary.Find("nginx");
        Binary.Find("openssl");
        var folder = Path.Combine(Path.GetTempPath(), "ticketing-scaleout", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var cluster = new LiveCluster(folder, Path.Combine(folder, "ticketing.db"), options ?? new ClusterOptions());
        try
        {
            await cluster.StartRedisAsync(redisServer);
            cluster.A = await cluster.StartAppAsync("A", reservationSeconds);
            cluster.B = await cluster.StartAppAsync("B", reservationSeconds);
            await cluster.StartNginxAsync(nginx);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task StartRedisAsync(string redisServer)
    {
        RedisPort = FreePort();
        var redis = Start("redis", redisServer, _folder, new Dictionary<string, string>(),
            "--port", RedisPort.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _folder);
        Redis = redis;
        await WaitAsync(async () =>
        {
            using var tcp = new TcpClient();
            try
            {
                await tcp.ConnectAsync(IPAddress.Loopback, RedisPort);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, redis, "redis-server to accept connections");
    }

    private async Task<AppInstance> StartAppAsync(string name, int reservationSeconds)
    {
        var web = _options.Published ? await PublishedWebAssemblyAsync() : WebAssembly();
        var port = FreePort();
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = _options.Environment,
            ["Demo__Seed"] = "false",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Database__Provider"] = "Sqlite",
            ["ConnectionStrings__Ticketing"] = $"Data Source={DatabasePath}",
            ["SignalR__Redis"] = $"127.0.0.1:{RedisPort}",
            ["Ordering__ReservationSeconds"] = reservationSeconds.ToString(),
            // A killed instance's outbox claims lapse after this; the default (30 s) only slows the test.
            ["Outbox__ClaimDuration"] = "00:00:05",
        };
        if (_options.RaiseLimits)
        {
            env["RateLimiting__AuthPermitLimit"] = "100000";
            env["RateLimiting__OrdersPermitLimit"] = "100000";
            env["Ordering__MaxLiveOrdersPerBuyer"] = "100000";
        }

        foreach (var (key, value) in _options.Settings ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        var process = Start(name, "dotnet", Path.GetDirectoryName(web)!, env, web);
        var instance = new AppInstance(name, new Uri($"http://127.0.0.1:{port}"), process, Output(process));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await WaitAsync(async () =>
        {
            try
            {
                return (await http.GetAsync(new Uri(instance.BaseAddress, "/health/ready"))).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException)
            {
                return false;
            }
        }, process, $"instance {name} to answer /health/ready");
        return instance;
    }

    private async Task StartNginxAsync(string nginx)
    {
        var dir = Path.Combine(_folder, "nginx");
        Directory.CreateDirectory(dir);
        var certs = await MakeCertificateAsync(Path.Combine(dir, "certs"));
        var port = FreePort();
        var httpPort = FreePort();
        var conf = File.ReadAllText(Path.Combine(Repo.Root, "deploy", "nginx", "nginx.conf"));
        conf = Replace(conf, "server app1:8080;", $"server 127.0.0.1:{A.BaseAddress.Port};");
        conf = Replace(conf, "server app2:8080;", $"server 127.0.0.1:{B.BaseAddress.Port};");
        conf = Replace(conf, "listen 80;", $"listen 127.0.0.1:{httpPort};");
        conf = Replace(conf, "listen 443 ssl;", $"listen 127.0.0.1:{port} ssl;");
        conf = Replace(conf, "/etc/nginx/certs/", $"{certs}/");
        conf = Replace(conf, "events {}", $$"""
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log;
            events {}
            """);
        conf = Replace(conf, "http {", $$"""
            http {
              log_format upstream '$upstream_addr $request_method $uri $status';
              access_log {{dir}}/access.log upstream;
              client_body_temp_path {{dir}}/client_body;
              proxy_temp_path {{dir}}/proxy;
              fastcgi_temp_path {{dir}}/fastcgi;
              uwsgi_temp_path {{dir}}/uwsgi;
              scgi_temp_path {{dir}}/scgi;
            """);
        File.WriteAllText(Path.Combine(dir, "nginx.conf"), conf);
        Nginx = new Uri($"https://127.0.0.1:{port}");
        NginxHttp = new Uri($"http://127.0.0.1:{httpPort}");
        var process = Start("nginx", nginx, dir, new Dictionary<string, string>(), "-p", dir, "-c", Path.Combine(dir, "nginx.conf"), "-g", "daemon off;");
        using var http = Client(Nginx);
        await WaitAsync(async () =>
        {
            try
            {
                return (await http.GetAsync("/health/live")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, process, "nginx to proxy /health/live over HTTPS");
    }

    /// <summary>Runs deploy/nginx/self-signed-cert.sh, as the compose file's nginx does at its first start.</summary>
    private async Task<string> MakeCertificateAsync(string certs)
    {
        var script = Path.Combine(Repo.Root, "deploy", "nginx", "self-signed-cert.sh");
        var process = Start("self-signed-cert", "/bin/sh", _folder, new Dictionary<string, string> { ["CERT_DIR"] = certs }, script);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"self-signed-cert.sh failed:\n{Output(process)}");
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(certs, "tls.crt")));
        TrustedCertificates[certificate.Thumbprint] = true;
        return certs;
    }

    /// <summary>
    /// A client with its own cookie jar (so nginx gives it its own affinity cookie), trusting the
    /// certificates the test clusters' nginx made for themselves and no other.
    /// </summary>
    public static HttpClient Client(Uri baseAddress) =>
        new(new SocketsHttpHandler
        {
            CookieContainer = new CookieContainer(),
            UseCookies = true,
            AllowAutoRedirect = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    errors == SslPolicyErrors.None || (certificate is not null && TrustedCertificates.ContainsKey(certificate.GetCertHashString())),
            },
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    public static async Task<(HttpClient Client, string Email)> SignUpAsync(Uri baseAddress)
    {
        var client = Client(baseAddress);
        var email = $"user-{Guid.NewGuid():N}@example.com";
        var response = await client.PostAsJsonAsync("/api/users/signup", new { email, password = Password });
        Assert.True(response.IsSuccessStatusCode, $"sign-up through {baseAddress} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (client, email);
    }

    public const string Password = "correct-horse-battery";

    public static async Task<Guid> ListTicketAsync(HttpClient seller, string title)
    {
        var response = await seller.PostAsJsonAsync("/api/tickets", new { title, price = 25m });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public SqliteConnection OpenDatabase()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>A change made straight in the database, as an operator with a SQL prompt would.</summary>
    public int Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    public List<T> Query<T>(string sql, Func<SqliteDataReader, T> read)
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                }
            }
            catch (InvalidOperationException)
            {
            }
            catch (TimeoutException)
            {
            }

            process.Dispose();
        }

        TicketingApp.DeleteDatabase(DatabasePath);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static readonly Dictionary<Process, StringBuilder> Outputs = [];

    private static StringBuilder Output(Process process)
    {
        lock (Outputs)
        {
            return Outputs[process];
        }
    }

    private Process Start(string name, string fileName, string workingDirectory, Dictionary<string, string> env, params string[] args)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env)
        {
            info.Environment[key] = value;
        }

        var output = new StringBuilder();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {name} ({fileName}).");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (Outputs)
        {
            Outputs[process] = output;
        }

        _processes.Add(process);
        return process;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> ready, Process process, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await ready())
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var output = Output(process);
                string text;
                lock (output)
                {
                    text = output.ToString();
                }

                throw new InvalidOperationException($"Gave up waiting for {what} (exited: {process.HasExited}). Output:\n{text}");
            }

            await Task.Delay(100);
        }
    }

    private static string Replace(string text, string old, string replacement)
    {
        Assert.True(text.Contains(old, StringComparison.Ordinal), $"deploy/nginx/nginx.conf no longer contains '{old}'; update the scale-out test's config generator.");
        return text.Replace(old, replacement, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Ticketing.Web.dll as built next to this test assembly's configuration.</summary>
    private static readonly SemaphoreSlim PublishGate = new(1, 1);
    private static string? _published;

    /// <summary>Ticketing.Web published from the existing build (as the Dockerfile publishes it), once per test run.</summary>
    private static async Task<string> PublishedWebAssemblyAsync()
    {
        await PublishGate.WaitAsync();
        try
        {
            if (_published is not null)
            {
                return _published;
            }

            // Into the Web project's own bin folder: overwritten by each run instead of piling up in /tmp.
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            var output = Path.Combine(Repo.Root, "Ticketing.Web", "bin", configuration, "scaleout-publish");
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Repo.Root };
            foreach (var argument in new[] { "publish", Path.Combine("Ticketing.Web", "Ticketing.Web.csproj"), "-c", configuration, "--no-build", "-o", output, "-nologo", "-v", "quiet" })
            {
                info.ArgumentList.Add(argument);
            }

            using var publish = Process.Start(info)!;
            var stdout = publish.StandardOutput.ReadToEndAsync();
            var stderr = publish.StandardError.ReadToEndAsync();
            await publish.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
            Assert.True(publish.ExitCode == 0, $"dotnet publish failed:\n{await stdout}\n{await stderr}");
            _published = Path.Combine(output, "Ticketing.Web.dll");
            return _published;
        }
        finally
        {
            PublishGate.Release();
        }
    }

    private static string WebAssembly()
    {
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfmDir.Parent!.Name;
        var dll = Path.Combine(Repo.Root, "Ticketing.Web", "bin", configuration, tfmDir.Name, "Ticketing.Web.dll");
        Assert.True(File.Exists(dll), $"Build Ticketing.Web first: {dll} is missing.");
        return dll;
    }
}

/// <summary>One running Ticketing process.</summary>
public sealed record AppInstance(string Name, Uri BaseAddress, Process Process, StringBuilder Output)
{
    public string Log()
    {
        lock (Output)
        {
            return Output.ToString();
        }
    }
}

internal static class Binary
{
    public static string Find(string name)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Concat(["/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin", "/usr/local/bin"]);
        foreach (var folder in folders.Where(f => f.Length > 0))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"The scale-out tests need '{name}' on this machine and it is not installed. Install it (Debian: apt-get install -y redis-server nginx openssl); scripts/test.sh does this itself.");
    }
}
