using Ticketing.Infrastructure;
using Ticketing.Infrastructure.Demo;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Web;
using Ticketing.Web.Api;
using Ticketing.Web.Components;
using Ticketing.Web.Health;
using Ticketing.Web.Hubs;
using Ticketing.Web.Localization;
using Ticketing.Web.Operations;
using Ticketing.Web.Security;

if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args);
}

var arguments = DemoMarket.TranslateFlag(args);
var builder = WebApplication.CreateBuilder(arguments);
if (BackupCommand.IsRequested(args))
{
    return await BackupCommand.RunAsync(args, builder.Configuration, builder.Environment);
}

// Settings the app must not run with are refused before anything is touched: not even the
// database file is made.
List<string> refusals = [.. StartupRefusals.Find(builder.Configuration, builder.Environment)];
try
{
    builder.Services.AddInfrastructure(builder.Configuration, builder.Environment);
    builder.Services.AddTicketingIdentity(builder.Configuration, builder.Environment);
    builder.Services.AddTicketingForwardedHeaders(builder.Configuration);
    builder.Services.AddTicketingHsts();
    builder.Services.AddLiveUpdates(builder.Configuration);
    builder.Services.AddTicketingUi();
    builder.Services.AddTicketingApi();
    builder.Services.AddTicketingHealthChecks();
}
catch (InvalidSettingException ex)
{
    // Half the services are registered: only the logger of a bare host is needed, to say why.
    refusals.Add(ex.Message);
    builder = WebApplication.CreateBuilder(arguments);
}

builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false); // no "Server: Kestrel" for scanners
var app = builder.Build();
refusals.AddRange(StartupRefusals.InOptions(app.Services, app.Configuration));
if (refusals.Count > 0)
{
    app.Logger.LogCritical("Refusing to start in {Environment}: {Refusals}", app.Environment.EnvironmentName, string.Join(" ", refusals));
    await app.DisposeAsync();
    return 1;
}

await using (var scope = app.Services.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
    await scope.ServiceProvider.GetRequiredService<DemoMarket>().SeedIfAskedAsync();
}

app.UseForwardedHeaders();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
    app.UseHsts();
}

app.UseSecurityHeaders();
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseRequestLocalization();
// The JSON API answers every failure in its errors shape (exception handler + problem details),
// from here on so that its 401s are too, and refuses bodies over its limit before reading them.
app.UseWhen(ApiRegistration.IsApiCall, api => api.UseExceptionHandler().UseStatusCodePages().Use(ApiJsonBody.CheckAsync));
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.UseExpiredFormPage(); // a form whose token no longer fits: a page that says so, not a 400
app.UseRateLimiter(); // sign-up, sign-in and reservations (RateLimits), per client or user

app.MapStaticAssets();
app.MapTicketingApi();
app.MapTicketingHealthChecks();
app.MapPageEndpoints();
app.MapCultureSwitch();
app.MapHub<TicketsHub>("/hubs/tickets", o => o.CloseOnAuthenticationExpiration = true); // no connection outlives its cookie
app.MapRazorComponents<App>().AddInteractiveServerRenderMode().AnswerHeadLikeGet();

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the integration tests' host factory.</summary>
public partial class Program;
