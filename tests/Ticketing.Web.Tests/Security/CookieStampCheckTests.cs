using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Identity;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Security;

/// <summary>
/// An API call's cookie is checked against its account once per <c>Identity:RevalidationSeconds</c>
/// (one second here), not on every request: a cookie issued before a password change that the app did
/// not hear of keeps working until its check is due, then is refused. One whose change the app made
/// itself is refused at once.
/// </summary>
public sealed class CookieStampCheckTests : IAsyncLifetime
{
    private readonly TicketingApp _app = new(settings: new Dictionary<string, string?> { ["Identity:RevalidationSeconds"] = "1" });

    [Fact]
    public async Task CookieOfAChangedAccount_IsRefusedOnceItsCheckIsDue()
    {
        var (client, userId, _) = await _app.SignUpAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/orders")).StatusCode);

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var account = await users.FindByIdAsync(userId.ToString());
            Assert.True((await users.UpdateSecurityStampAsync(account!)).Succeeded);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/orders")).StatusCode);
    }

    [Fact]
    public async Task CookieOfAnAccountChangedBehindTheAppsBack_KeepsWorking_UntilItsCheckIsDue()
    {
        // Ten minutes between checks: the request right after the change comes long before one is due.
        // Changed in the database alone (as by an instance that could not tell this one): the app has
        // not heard of it, and reads no account on the way.
        await using var app = new TicketingApp(settings: new Dictionary<string, string?> { ["Identity:RevalidationSeconds"] = "600" });
        var (client, userId, _) = await app.SignUpAsync();

        await using (var db = app.CreateDbContext())
        {
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(a => a.SecurityStamp, Guid.NewGuid().ToString("N")));
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/orders")).StatusCode);
    }

    [Fact]
    public async Task CookieOfAnAccountChangedThroughTheApp_IsRefusedAtOnce()
    {
        // The app ended the account's sessions itself (decision 35): it needs no check to know.
        await using var app = new TicketingApp(settings: new Dictionary<string, string?> { ["Identity:RevalidationSeconds"] = "600" });
        var (client, userId, _) = await app.SignUpAsync();

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var account = await users.FindByIdAsync(userId.ToString());
            Assert.True((await users.UpdateSecurityStampAsync(account!)).Succeeded);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/orders")).StatusCode);
    }

    [Fact]
    public async Task CookieOfAnUnchangedAccount_StaysValidAcrossChecks()
    {
        var (client, _, _) = await _app.SignUpAsync();

        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.2));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/orders")).StatusCode);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();
}
