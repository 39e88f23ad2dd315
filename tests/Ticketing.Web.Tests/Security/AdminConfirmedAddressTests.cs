using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Identity;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Security;

/// <summary>The Admin role goes only to a confirmed address, also for the account the app creates for <c>Admin:Email</c>.</summary>
public sealed class AdminConfirmedAddressTests
{
    [Fact]
    public async Task TheSeededAdminAccount_IsConfirmed_AndAdmin()
    {
        await using var app = new TicketingApp();

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var admin = (await users.FindByEmailAsync(TicketingApp.AdminEmail))!;
        Assert.True(admin.EmailConfirmed);
        Assert.True(await users.IsInRoleAsync(admin, Roles.Admin));
    }

    [Fact]
    public async Task TheSeededAdminAccount_WhoseAddressIsNoLongerConfirmed_IsNotMadeAdminAgainOnRestart()
    {
        var databasePath = TicketingApp.NewDatabasePath();
        try
        {
            await using (var first = new TicketingApp(databasePath: databasePath))
            {
                await using var scope = first.Services.CreateAsyncScope();
                var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
                var admin = (await users.FindByEmailAsync(TicketingApp.AdminEmail))!;
                admin.EmailConfirmed = false;
                Assert.True((await users.UpdateAsync(admin)).Succeeded);
                Assert.True((await users.RemoveFromRoleAsync(admin, Roles.Admin)).Succeeded);
            }

            await using var restarted = new TicketingApp(databasePath: databasePath);
            await using var check = restarted.Services.CreateAsyncScope();
            var again = check.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            Assert.False(await again.IsInRoleAsync((await again.FindByEmailAsync(TicketingApp.AdminEmail))!, Roles.Admin));
        }
        finally
        {
            TicketingApp.DeleteDatabase(databasePath);
        }
    }
}
