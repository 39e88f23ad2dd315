using System.Net;
using Microsoft.EntityFrameworkCore;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Hosting;

public sealed class StartupTests
{
    [Fact]
    public async Task Start_OnAFreshDatabaseFile_CreatesTheSchemaAndServesTheHomePage()
    {
        await using var app = new TicketingApp();
        Assert.False(File.Exists(app.DatabasePath));

        using var client = app.CreateClient();
        var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(File.Exists(app.DatabasePath));
        await using var db = app.CreateDbContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.True(await db.Users.AnyAsync(u => u.NormalizedEmail == TicketingApp.AdminEmail.ToUpperInvariant()));
    }
}
