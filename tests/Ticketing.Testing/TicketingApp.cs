using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Testing;

/// <summary>
/// The whole app on its own real SQLite file. In-memory transport by default; with
/// <c>kestrel: true</c> a real Kestrel port on 127.0.0.1 (for browsers and SignalR clients).
/// Several can share one database file to play a restart.
/// </summary>
public sealed class TicketingApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDatabase;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="services">Replaces or decorates registrations (e.g. a <see cref="CountingGateway"/>), after the app's own.</param>
    public TicketingApp(bool kestrel = false, IDictionary<string, string?>? settings = null, string? databasePath = null, string environment = "Development", Action<IServiceCollection>? services = null)
    {
        _services = services;
        _ownsDatabase = databasePath is null;
        DatabasePath = databasePath ?? NewDatabasePath();
        Environment = environment;
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["ConnectionStrings:Ticketing"] = $"Data Source={DatabasePath}",
        };

        // Tests start from an empty market; Development would otherwise seed the demo one.
        _settings.TryAdd("Demo:Seed", "false");

        // Without an SMTP server the app writes e-mails to a folder: beside the database, not in the repo.
        _settings.TryAdd("Email:PickupDirectory", MailFolder(DatabasePath));

        // Outside Development the app refuses to start on the test gateway or the documented admin
        // password unless told to; tests of those refusals start the real process instead.
        if (environment != "Development")
        {
            _settings.TryAdd("Payments:AllowTestGateway", "true");
            _settings.TryAdd("Admin:Password", ProductionAdminPassword);
        }

        if (kestrel)
        {
            UseKestrel(0);
        }
    }

    public string DatabasePath { get; }

    public string Environment { get; }

    public const string AdminEmail = DatabaseInitializer.DefaultAdminEmail;

    public const string AdminPassword = DatabaseInitializer.DefaultAdminPassword;

    /// <summary>The admin password a non-Development app gets unless the test sets one.</summary>
    public const string ProductionAdminPassword = "test-only admin passphrase";

    /// <summary>The root address: the real Kestrel address in Kestrel mode.</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }

    public static string NewDatabasePath()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ticketing-tests");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $"{Guid.NewGuid():N}.db");
    }

    /// <summary>A client that keeps its own cookies and never follows redirects.</summary>
    public HttpClient CreateUserClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    /// <summary>A fresh client signed up (and so signed in) as a new user.</summary>
    public async Task<(HttpClient Client, Guid UserId, string Email)> SignUpAsync(string? email = null, string password = "correct-horse-battery")
    {
        var client = CreateUserClient();
        email ??= $"user-{Guid.NewGuid():N}@example.com";
        var response = await client.PostAsJsonAsync("/api/users/signup", new { email, password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<IdDto>();
        return (client, body!.Id, email);
    }

    /// <summary>A fresh client signed in as the seeded admin.</summary>
    public async Task<HttpClient> SignInAdminAsync()
    {
        var client = CreateUserClient();
        var password = _settings.TryGetValue("Admin:Password", out var configured) && configured is { Length: > 0 } ? configured : AdminPassword;
        var response = await client.PostAsJsonAsync("/api/users/signin", new { email = AdminEmail, password });
        response.EnsureSuccessStatusCode();
        return client;
    }

    /// <summary>A context on the app's database, for arranging and checking rows directly.</summary>
    public TicketingDbContext CreateDbContext() =>
        Services.GetRequiredService<IDbContextFactory<TicketingDbContext>>().CreateDbContext();

    /// <summary>Polls until <paramref name="condition"/> holds, or fails after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting until {because}.");
            }

            await Task.Delay(50);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            // Identity's default work factor costs ~0.35 s per hash on the CI machines, and tests sign
            // up users by the hundred. The hash format is unchanged; only production needs the cost.
            services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000);
            _services?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDatabase)
        {
            DeleteDatabase(DatabasePath);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase)
        {
            DeleteDatabase(DatabasePath);
        }
    }

    /// <summary>The pickup folder of an app on <paramref name="databasePath"/> that has no SMTP server.</summary>
    public static string MailFolder(string databasePath) => databasePath + ".mail";

    public static void DeleteDatabase(string path)
    {
        SqliteConnection.ClearAllPools();
        try
        {
            if (Directory.Exists(MailFolder(path)))
            {
                Directory.Delete(MailFolder(path), recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort, like the files below.
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Best effort: the temp folder is cleaned by the OS eventually.
            }
        }
    }

    private sealed record IdDto(Guid Id);
}
