using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor.Services;
using StackExchange.Redis;
using Ticketing.Web.Audit;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Web.Hubs;
using Ticketing.Web.Live;
using Ticketing.Web.Localization;
using Ticketing.Web.Security;

namespace Ticketing.Web;

public static class DependencyInjection
{
    /// <summary>ASP.NET Core Identity on the shared database, one cookie for the UI and the API.</summary>
    public static IServiceCollection AddTicketingIdentity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddCascadingAuthenticationState();
        services.AddOptions<SessionRevalidationOptions>()
            .Bind(configuration.GetSection(SessionRevalidationOptions.Section))
            .Validate(o => o.RevalidationSeconds > 0, "Identity:RevalidationSeconds must be positive.")
            .ValidateOnStart();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        // A circuit is signed out at once when its session ends (a sign-out in another tab, a new password).
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, SignedInCircuit>();
        services.AddOptions<SecurityStampValidatorOptions>()
            .Configure<IOptions<SessionRevalidationOptions>>((o, session) => o.ValidationInterval = session.Value.RevalidationInterval);
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddAuthorization();

        services.AddIdentityCore<AppUser>(o =>
            {
                o.User.RequireUniqueEmail = true;

                // The user name is the email; any character a valid address may hold is allowed.
                o.User.AllowedUserNameCharacters = string.Empty;
                o.SignIn.RequireConfirmedAccount = false;

                // Length is what makes a password strong; composition rules mostly annoy (NIST 800-63B).
                o.Password.RequiredLength = PasswordLengthValidator.MinLength;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                // Applied per account and client address by SignInLockouts, not account-wide.
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<TicketingDbContext>()
            .AddUserManager<SessionEndingUserManager>()
            .AddSignInManager()
            .AddPasswordValidator<PasswordLengthValidator>()
            .AddDefaultTokenProviders();
        services.AddRequestOrigins();
        services.AddAccountSecurity(configuration);

        // The forms' antiforgery cookie is Secure on every request the app sees as HTTPS (behind a
        // known proxy too); Always would make antiforgery refuse to render a form over plain HTTP.
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "ticketing.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/access-denied";
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromDays(7);

            // The API answers 401 in its own error shape; only pages redirect to the sign-in page.
            o.Events.OnRedirectToLogin = ctx => RejectApiOrRedirect(ctx.HttpContext, ctx.RedirectUri);
            o.Events.OnRedirectToAccessDenied = ctx => RejectApiOrRedirect(ctx.HttpContext, ctx.RedirectUri);
            o.Events.OnValidatePrincipal = SignIns.RefuseEnded(SecurityStampCheck.WhenDue(o.Events.OnValidatePrincipal));

            // Each sign-in gets an id, so that signing out ends that sign-in's hub connections and circuits.
            o.Events.OnSigningIn = SignIns.OnSigningIn;
            o.Events.OnSigningOut = SignIns.OnSigningOut;
        });
        return services;
    }

    /// <summary>
    /// The SignalR hub and the per-circuit live feed. With <c>SignalR:Redis</c> set, both reach the
    /// clients of every instance: the hub through the Redis backplane, the feed through Redis pub/sub.
    /// </summary>
    public static IServiceCollection AddLiveUpdates(this IServiceCollection services, IConfiguration configuration)
    {
        // Timestamps go out as ISO 8601 UTC with a 'Z', as in the API.
        var signalR = services.AddSignalR()
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new Api.UtcTimestampJsonConverter()));
        if (configuration["SignalR:Redis"] is { Length: > 0 } redis)
        {
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = RedisChannel.Literal("ticketing"));
            services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redis));
            services.AddHostedService<RedisLiveFeedRelay>();
        }

        // A signed-in connection ends when its sign-in signs out or the account signs out everywhere.
        services.AddSingleton<SignedInConnections>();
        services.AddSingleton<Microsoft.AspNetCore.SignalR.IUserIdProvider, LiveUserIds>();
        services.AddSingleton<LiveFeed>();
        services.AddScoped<LiveUpdates>();
        services.AddSingleton<Components.Shared.TicketCards>();
        services.AddLivePush();
        return services;
    }

    public static IServiceCollection AddTicketingUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddTicketingLocalization();
        services.AddCircuitConnection();
        return services;
    }

    /// <summary>One per circuit: asked by components as itself, told of the tab coming and going as a handler.</summary>
    public static IServiceCollection AddCircuitConnection(this IServiceCollection services)
    {
        services.AddScoped<Components.Shared.CircuitConnection>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<Components.Shared.CircuitConnection>());
        return services;
    }

    private static Task RejectApiOrRedirect(HttpContext http, string redirectUri)
    {
        if (Api.ApiProblems.IsApi(http.Request))
        {
            return Api.ApiProblems.WriteAsync(http, StatusCodes.Status401Unauthorized);
        }

        http.Response.Redirect(redirectUri);
        return Task.CompletedTask;
    }
}
