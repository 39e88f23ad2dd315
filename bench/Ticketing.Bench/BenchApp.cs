using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ticketing.Bench;

/// <summary>
/// The real app (Ticketing.Web's Program) on its own SQLite file, on a real Kestrel port.
/// Bench-only additions live here, never in production code: a middleware serving
/// <see cref="StaticPath"/> from memory (the B2 baseline).
/// </summary>
internal sealed class BenchApp : WebApplicationFactory<global::Program>
{
    public const string StaticPath = "/bench/static-tickets";

    private readonly Dictionary<string, string?> _settings;

    public BenchApp(IDictionary<string, string?>? settings = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "ticketing-bench");
        Directory.CreateDirectory(folder);
        DatabasePath = Path.Combine(folder, $"{Guid.NewGuid():N}.db");
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["ConnectionStrings:Ticketing"] = $"Data Source={DatabasePath}",
            ["RateLimiting:AuthPermitLimit"] = "1000000",
            ["RateLimiting:AuthWindowSeconds"] = "1",

            // B1b's buyers retry a hot ticket as fast as they can; the limiter itself still runs.
            ["RateLimiting:OrdersPermitLimit"] = "1000000",
            ["RateLimiting:OrdersWindowSeconds"] = "1",
        };
        UseKestrel(0);
    }

    public string DatabasePath { get; }

    /// <summary>The bytes the B2 baseline endpoint serves (set after capturing GET /api/tickets).</summary>
    public byte[] StaticBody { get; set; } = "[]"u8.ToArray();

    public Uri BaseAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }

    public HttpClient NewClient() => new(new SocketsHttpHandler
    {
        CookieContainer = new CookieContainer(),
        UseCookies = true,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(30),
    })
    {
        BaseAddress = BaseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public async Task<HttpClient> SignUpAsync()
    {
        var client = NewClient();
        var response = await client.PostAsJsonAsync("/api/users/signup", new { email = $"b-{Guid.NewGuid():N}@example.com", password = "correct-horse-battery" });
        response.EnsureSuccessStatusCode();
        return client;
    }

    /// <summary>
    /// Signs a new user up and returns their auth cookie as a <c>Cookie</c> header value, so that many
    /// buyers can share a few keep-alive connections (<see cref="NewCookielessClient"/>).
    /// </summary>
    public async Task<string> SignUpCookieAsync(HttpClient cookieless)
    {
        using var response = await cookieless.PostAsJsonAsync("/api/users/signup", new { email = $"b-{Guid.NewGuid():N}@example.com", password = "correct-horse-battery" });
        response.EnsureSuccessStatusCode();
        return string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
    }

    /// <summary>Signs up <paramref name="count"/> users, 20 at a time, each with its own cookie jar.</summary>
    public async Task<HttpClient[]> SignUpManyAsync(int count)
    {
        var clients = new List<HttpClient>(count);
        for (var i = 0; i < count; i += 20)
        {
            clients.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(20, count - i)).Select(_ => SignUpAsync())));
        }

        return [.. clients];
    }

    public HttpClient NewCookielessClient() => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(30),
    })
    {
        BaseAddress = BaseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public static async Task<Guid> CreateTicketAsync(HttpClient seller, int i)
    {
        var response = await seller.PostAsJsonAsync("/api/tickets", new { title = $"Bench ticket {i}", price = 10.5m + (i % 50), venue = "Bench Hall", description = "A ticket listed by the benchmark." });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("id").GetGuid();
    }

    public static async Task<List<Guid>> CreateTicketsAsync(HttpClient seller, int count, int parallel = 8)
    {
        var ids = new Guid[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                ids[i] = await CreateTicketAsync(seller, i);
            }
        }));
        return [.. ids];
    }

    public SqliteConnection OpenDatabase()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>Polls the app's database (read-only, from outside) until <paramref name="sql"/> returns <paramref name="expected"/>.</summary>
    public async Task WaitForAsync(string sql, long expected, TimeSpan timeout)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using (var connection = OpenDatabase())
            {
                using var command = connection.CreateCommand();
                command.CommandText = sql;
                if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == expected)
                {
                    return;
                }
            }

            if (sw.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out waiting for: {sql}");
            }

            await Task.Delay(20);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            // As in the test host: sign-ups by the hundred must not cost 0.35 s each.
            services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000);
            services.AddLogging(l => l.ClearProviders());
            services.AddSingleton<IStartupFilter>(new StaticBodyFilter(this));
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        BenchDatabase.Delete(DatabasePath);
    }

    private sealed class StaticBodyFilter(BenchApp app) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => builder =>
        {
            builder.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Path == StaticPath)
                {
                    var body = app.StaticBody;
                    context.Response.StatusCode = 200;
                    context.Response.ContentType = "application/json; charset=utf-8";
                    context.Response.ContentLength = body.Length;
                    await context.Response.Body.WriteAsync(body);
                    return;
                }

                await nextMiddleware(context);
            });
            next(builder);
        };
    }
}
