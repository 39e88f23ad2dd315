using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Identity;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Security;

/// <summary>
/// An API call's cookie is checked against its account once per <c>Identity:RevalidationSeconds</c>
/// (one second here), not on every request: a cookie issued before a password change keeps working
/// until its check is due, then is refused.
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
    public async Task CookieOfAChangedAccount_KeepsWorking_UntilItsCheckIsDue()
    {
        // Ten minutes between checks: the request right after the change comes long before one is due.
        await using var app = new TicketingApp(settings: new Dictionary<string, string?> { ["Identity:RevalidationSeconds"] = "600" });
        var (client, userId, _) = await app.SignUpAsync();

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var account = await users.FindByIdAsync(userId.ToString());
            Assert.True((await users.UpdateSecurityStampAsync(account!)).Succeeded);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/orders")).StatusCode);
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
