using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Http;
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
using Ticketing.Web.Localization;

namespace Ticketing.Web.Tests.Components.Support;

/// <summary>
/// A bUnit context wired like the app: the real use cases and Identity on a real SQLite file (a
/// copy of one database migrated per test run), MudBlazor, the live feed and a hand-moved clock.
/// The outbox dispatcher does not run, so a test pushes a live change itself through
/// <see cref="LiveFeed"/>, exactly as the dispatcher does after a commit.
/// </summary>
public abstract class UiTestContext : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 3, 5, 12, 0, 0, TimeSpan.Zero);

    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _templatePath;

    private readonly string _databasePath = TicketingApp.NewDatabasePath();

    /// <param name="settings">Configuration on top of the test's database, e.g. <c>Payments:Currency</c>.</param>
    protected UiTestContext(bool interactive = true, Action<IServiceCollection>? replaceServices = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configuration = Configuration(_databasePath, settings);
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        AddAppServices(Context.Services, configuration, Clock);
        replaceServices?.Invoke(Context.Services);
        Http = new DefaultHttpContext { RequestServices = Context.Services };
        Http.Request.Scheme = "https";
        Http.Request.Host = new HostString("localhost");
        Context.Services.AddCascadingValue(_ => Http);
        Context.Services.AddSingleton<IHttpContextAccessor>(new FixedHttpContextAccessor { HttpContext = Http });
        Auth = Context.AddAuthorization();

        // Pages subscribe to live changes and start timers in an interactive circuit; account pages
        // render statically.
        Context.SetRendererInfo(interactive ? new RendererInfo("Server", isInteractive: true) : new RendererInfo("Static", isInteractive: false));
    }

    protected BunitContext Context { get; } = new();

    protected StepClock Clock { get; } = new(Start);

    protected BunitAuthorizationContext Auth { get; }

    /// <summary>The request a statically rendered page sees (Identity writes its cookie here).</summary>
    protected DefaultHttpContext Http { get; }

    protected TicketListings Listings => Service<TicketListings>();

    protected TicketOrders TicketOrders => Service<TicketOrders>();

    protected OrderPayments Payments => Service<OrderPayments>();

    protected NavigationManager Navigation => Service<NavigationManager>();

    /// <summary>The test's database file, for seeding it in bulk (<see cref="Catalogue"/>).</summary>
    protected string DatabasePath => _databasePath;

    public virtual async Task InitializeAsync()
    {
        File.Copy(await TemplateAsync(), _databasePath);
    }

    public async Task DisposeAsync()
    {
        await Context.DisposeAsync();
        TicketingApp.DeleteDatabase(_databasePath);
    }

    protected T Service<T>()
        where T : notnull => Context.Services.GetRequiredService<T>();

    /// <summary>The popover, dialog and snackbar hosts that the layout provides in the app.</summary>
    protected IRenderedComponent<IComponent> RenderProviders() => Context.Render(builder =>
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<MudDialogProvider>(1);
        builder.CloseComponent();
        builder.OpenComponent<MudSnackbarProvider>(2);
        builder.CloseComponent();
    });

    protected async Task<Guid> CreateUserAsync(string email, string password = "correct-horse-battery")
    {
        await using var scope = Context.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, CreatedAt = Clock.GetUtcNow() };
        var result = await users.CreateAsync(user, password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return user.Id;
    }

    /// <summary>Signs a user in as Identity's cookie would describe them: id, email and roles as claims.</summary>
    protected Actor SignIn(Guid userId, string email, bool admin = false)
    {
        // Roles first, and always: bUnit's SetRoles rebuilds the principal without the claims set
        // before it, and a user signed in after an admin must not keep the admin's role.
        Auth.SetAuthorized(email);
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, userId.ToString()), new(ClaimTypes.Email, email) };
        Auth.SetRoles(admin ? [Roles.Admin] : []);
        if (admin)
        {
            claims.Add(new Claim(ClaimTypes.Role, Roles.Admin));
        }

        Auth.SetClaims([.. claims]);

        return new Actor(userId, admin);
    }

    protected Actor SignInNewUser(string name = "buyer", bool admin = false) =>
        SignIn(Guid.NewGuid(), $"{name}@example.com", admin);

    protected Task<TicketView> ListTicketAsync(
        Guid sellerId, string title = "Arctic Monkeys, floor", decimal price = 85m, DateTimeOffset? eventDate = null, string? venue = "O2 Arena", string? description = null) =>
        Listings.CreateAsync(new Actor(sellerId), new TicketInput(title, price, eventDate, venue, description));

    /// <summary>Reserves as <paramref name="buyerId"/>; returns the ticket as it is now and the order.</summary>
    protected async Task<(TicketView Ticket, OrderView Order)> ReserveAsync(Guid buyerId, Guid ticketId)
    {
        var order = await TicketOrders.ReserveAsync(new Actor(buyerId), ticketId);
        return ((await Listings.FindAsync(ticketId))!, order);
    }

    /// <summary>Pays <paramref name="orderId"/> with the test gateway's good card; returns the paid order.</summary>
    protected async Task<OrderView> PayAsync(Guid buyerId, Guid orderId)
    {
        await Payments.PayAsync(new Actor(buyerId), orderId, "tok_visa");
        return await TicketOrders.GetAsync(new Actor(buyerId), orderId);
    }

    /// <summary>Reserves and pays with the test gateway's good card; returns the sold ticket.</summary>
    protected async Task<TicketView> SellAsync(Guid buyerId, Guid ticketId)
    {
        var (_, order) = await ReserveAsync(buyerId, ticketId);
        await PayAsync(buyerId, order.Id);
        return (await Listings.FindAsync(ticketId))!;
    }

    /// <summary>What the outbox dispatcher does after a commit that changed a ticket.</summary>
    protected void Publish(string kind, TicketView ticket) => Service<LiveFeed>().Publish(new TicketChange(kind, ticket));

    /// <summary>What the outbox dispatcher does after a commit that changed an order.</summary>
    /// <param name="cancellationReason">Why a cancelled order was cancelled (user, expired or admin), as the event says.</param>
    protected void PublishOrder(OrderView order, string? cancellationReason = null) => Service<LiveFeed>().Publish(new OrderChange(order, cancellationReason));

    private static IConfiguration Configuration(string databasePath, IReadOnlyDictionary<string, string?>? settings = null) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Ticketing"] = $"Data Source={databasePath}",
            ["Ordering:ReservationMinutes"] = "15",
        })
        .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
        .Build();

    private static void AddAppServices(IServiceCollection services, IConfiguration configuration, TimeProvider clock)
    {
        var environment = new TestEnvironment();
        services.AddSingleton(clock);
        services.AddSingleton(configuration);
        services.AddLogging();
        services.AddInfrastructure(configuration, environment);
        services.AddTicketingIdentity(configuration, environment);
        services.AddLiveUpdates(configuration);
        services.AddMudServices();
        services.AddTicketingLocalization();
        services.AddCircuitConnection();
        services.AddScoped<AntiforgeryStateProvider, FixedAntiforgery>();
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
            var services = new ServiceCollection();
            AddAppServices(services, Configuration(path), TimeProvider.System);
            await using (var provider = services.BuildServiceProvider())
            await using (var scope = provider.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
            }

            // Closing the pooled connections checkpoints the WAL into the file: one file is the database.
            SqliteConnection.ClearAllPools();
            _templatePath = path;
            return path;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    /// <summary>One request for the whole test, whatever async flow the renderer runs on.</summary>
    private sealed class FixedHttpContextAccessor : IHttpContextAccessor
    {
        public HttpContext? HttpContext { get; set; }
    }

    /// <summary>Hands forms a token, as the app's provider does from the request.</summary>
    private sealed class FixedAntiforgery : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken GetAntiforgeryToken() => new("test-antiforgery-token", "__RequestVerificationToken");
    }

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;

        public string ApplicationName { get; set; } = "Ticketing.Web";

        public string ContentRootPath { get; set; } = Path.GetTempPath();

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
