using Ticketing.Infrastructure;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Web;
using Ticketing.Web.Api;
using Ticketing.Web.Components;
using Ticketing.Web.Hubs;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddInfrastructure(builder.Configuration, builder.Environment);
builder.Services.AddTicketingIdentity(builder.Environment);
builder.Services.AddLiveUpdates();
builder.Services.AddTicketingUi();
builder.Services.AddTicketingApi();

var app = builder.Build();

await using (var scope = app.Services.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
}

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
    app.UseHsts();
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapTicketingApi();
app.MapAdminExport();
app.MapHub<TicketsHub>("/hubs/tickets");
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

/// <summary>The entry point, visible to the integration tests' host factory.</summary>
public partial class Program;
