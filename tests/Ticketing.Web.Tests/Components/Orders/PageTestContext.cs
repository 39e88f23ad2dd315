using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using MudBlazor;
using MudBlazor.Services;
using Ticketing.Infrastructure;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Testing;
using Ticketing.Web.Live;
using Ticketing.Web.Tests.Components.Support;

using Ticketing.Web.Localization;

namespace Ticketing.Web.Tests.Components.Orders;

/// <summary>
/// A bUnit context wired like the app: the real use cases on a real SQLite file (a copy of a
/// database migrated once per test run), MudBlazor, the live feed, a hand-moved server clock and
/// a signed-in user of the test's choosing. The outbox dispatcher does not run: a test pushes live
/// changes itself through <see cref="LiveFeed"/>, as the dispatcher would after a commit.
/// </summary>
public abstract class PageTestContext : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 3, 5, 12, 0, 0, TimeSpan.Zero);

    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _templatePath;

    private readonly string _databasePath = TicketingApp.NewDatabasePath();

    protected PageTestContext(IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["ConnectionStrings:Ticketing"] = $"Data Source={_databasePath}",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        AddAppServices(Context.Services, configuration, Clock);
        Auth = Context.AddAuthorization();

        // Pages subscribe to live changes and start timers only in an interactive circuit.
        Context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    protected BunitContext Context { get; } = new();

    protected StepClock Clock { get; } = new(Start);

    protected BunitAuthorizationContext Auth { get; }

    protected TicketListings Listings => Service<TicketListings>();

    protected TicketOrders TicketOrders => Service<TicketOrders>();

    protected OrderPayments Payments => Service<OrderPayments>();

    /// <summary>The test's database file, for seeding it in bulk (<see cref="Catalogue"/>).</summary>
    protected string DatabasePath => _databasePath;

    public virtual async Task InitializeAsync() => File.Copy(await TemplateAsync(), _databasePath);

    public async Task DisposeAsync()
    {
        await Context.DisposeAsync();
        TicketingApp.DeleteDatabase(_databasePath);
    }

    protected T Service<T>()
        where T : notnull => Context.Services.GetRequiredService<T>();

    /// <summary>Renders the popover, dialog and snackbar hosts that the layout provides in the app.</summary>
    protected IRenderedComponent<IComponent> RenderProviders() => Context.Render(builder =>
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<MudDialogProvider>(1);
        builder.CloseComponent();
        builder.OpenComponent<MudSnackbarProvider>(2);
        builder.CloseComponent();
    });

    protected async Task<Guid> CreateUserAsync(string email)
    {
        await using var scope = Context.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, CreatedAt = Clock.GetUtcNow() };
        var result = await users.CreateAsync(user, "Correct-Horse-42");
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return user.Id;
    }

    protected void SignIn(Guid userId, string email, params string[] roles)
    {
        // Roles first: bUnit's SetRoles rebuilds the principal without the claims set before it.
        Auth.SetAuthorized(email);
        Auth.SetRoles(roles);
        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId.ToString()), new Claim(ClaimTypes.Email, email));
    }

    protected Task<TicketView> ListTicketAsync(Guid sellerId, string title = "Arctic Monkeys, O2 Arena", decimal price = 85m) =>
        Listings.CreateAsync(new Actor(sellerId), new TicketInput(title, price, Venue: "O2 Arena"));

    protected Task<OrderView> ReserveAsync(Guid buyerId, Guid ticketId) =>
        TicketOrders.ReserveAsync(new Actor(buyerId), ticketId);

    protected async Task<OrderView> PayAsync(Guid buyerId, Guid orderId)
    {
        await Payments.PayAsync(new Actor(buyerId), orderId, "tok_visa");
        return await TicketOrders.GetAsync(new Actor(buyerId), orderId);
    }

    /// <summary>What the outbox dispatcher does after a commit that changed an order.</summary>
    protected void PublishOrder(OrderView order) => Service<LiveFeed>().Publish(new OrderChange(order));

    protected void PublishTicket(string kind, TicketView ticket) => Service<LiveFeed>().Publish(new TicketChange(kind, ticket));

    private static void AddAppServices(IServiceCollection services, IConfiguration configuration, TimeProvider clock)
    {
        services.AddSingleton(clock);
        services.AddSingleton(configuration);
        services.AddLogging();
        services.AddInfrastructure(configuration, new TestEnvironment());
        services.AddIdentityCore<AppUser>(o => o.User.RequireUniqueEmail = true)
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<TicketingDbContext>();

        // Test accounts need no slow password hashing.
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1);
        services.AddSingleton<LiveFeed>();
        services.AddScoped<LiveUpdates>();
        services.AddMudServices();
        services.AddTicketingLocalization();
    }

    /// <summary>Migrating takes a while; every test starts from a copy of one migrated, seeded file.</summary>
    private static async Task<string> TemplateAsync()
    {
        await TemplateGate.WaitAsync();
        try
        {
            if (_templatePath is not null)
            {
                return _templatePath;
            }

            var path = TicketingApp.NewDatabasePath();
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Ticketing"] = $"Data Source={path}" })
                .Build();
            var services = new ServiceCollection();
            AddAppServices(services, configuration, TimeProvider.System);
            await using (var provider = services.BuildServiceProvider())
            await using (var scope = provider.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
            }

            // Closing the pooled connections checkpoints the WAL into the file, so one file is the database.
            SqliteConnection.ClearAllPools();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => TicketingApp.DeleteDatabase(path);
            _templatePath = path;
            return path;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;

        public string ApplicationName { get; set; } = "Ticketing.Web";

        public string ContentRootPath { get; set; } = Path.GetTempPath();

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
