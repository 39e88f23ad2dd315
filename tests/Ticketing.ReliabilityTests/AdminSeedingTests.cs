using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Persistence;
using Ticketing.ReliabilityTests.Support;
using Ticketing.Testing;

namespace Ticketing.ReliabilityTests;

/// <summary>The admin account ensured at start-up, as real processes on one database see it.</summary>
public sealed class AdminSeedingTests
{
    private const string Password = "correct-horse-battery";

    [Fact]
    public async Task AnAccountSignedUpWithTheAdminEmail_IsNotMadeAdmin_WhenTheAppRestartsWithThatEmail()
    {
        const string bossEmail = "boss@example.com";
        var databasePath = TicketingApp.NewDatabasePath();
        try
        {
            // Someone signs up with the address before the operator chooses it as Admin:Email.
            await using (var before = await WebProcess.StartAsync(databasePath, reservationSeconds: 60))
            {
                using var squatter = Client(before);
                Assert.Equal(HttpStatusCode.Created, (await squatter.PostAsJsonAsync("/api/users/signup", new { email = bossEmail, password = Password })).StatusCode);
            }

            await using var after = await WebProcess.StartAsync(databasePath, reservationSeconds: 60, settings: new Dictionary<string, string> { ["Admin__Email"] = bossEmail });
            await after.WaitForAsync("/health/ready", TimeSpan.FromSeconds(60));
            using var client = Client(after);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/users/signin", new { email = bossEmail, password = Password })).StatusCode);

            var roles = (await client.GetFromJsonAsync<JsonElement>("/api/users/currentuser")).GetProperty("currentUser").GetProperty("roles");
            Assert.Empty(roles.EnumerateArray());
            var admin = await client.GetAsync("/admin");
            Assert.False(admin.StatusCode == HttpStatusCode.OK && (await admin.Content.ReadAsStringAsync()).Contains("/admin/export.csv", StringComparison.Ordinal));
            Assert.Contains("is not made Admin", after.LogTail, StringComparison.Ordinal);

            // Development's console: one line per entry, a space between the UTC timestamp and the level.
            var warning = after.LogTail.Split('\n').Single(line => line.Contains("is not made Admin", StringComparison.Ordinal));
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z warn: ", warning);

            await using var db = Invariants.Open(databasePath);
            var boss = await db.Users.AsNoTracking().SingleAsync(u => u.NormalizedEmail == bossEmail.ToUpperInvariant());
            var adminRole = await db.Roles.AsNoTracking().SingleAsync(r => r.Name == Roles.Admin);
            Assert.False(await db.UserRoles.AnyAsync(ur => ur.UserId == boss.Id && ur.RoleId == adminRole.Id));
        }
        finally
        {
            TicketingApp.DeleteDatabase(databasePath);
        }
    }

    [Fact]
    public async Task TwoInstancesStartingAtOnceOnAnEmptyDatabase_BothComeUp_WithOneAdmin()
    {
        for (var round = 1; round <= 3; round++)
        {
            var databasePath = TicketingApp.NewDatabasePath();
            try
            {
                var starting = new[]
                {
                    WebProcess.StartAsync(databasePath, reservationSeconds: 60),
                    WebProcess.StartAsync(databasePath, reservationSeconds: 60),
                };
                try
                {
                    foreach (var instance in await Task.WhenAll(starting))
                    {
                        await instance.WaitForAsync("/health/ready", TimeSpan.FromSeconds(60));
                        using var client = Client(instance);
                        var signIn = await client.PostAsJsonAsync("/api/users/signin", new { email = TicketingApp.AdminEmail, password = TicketingApp.AdminPassword });
                        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
                        var roles = (await client.GetFromJsonAsync<JsonElement>("/api/users/currentuser")).GetProperty("currentUser").GetProperty("roles");
                        Assert.Equal([Roles.Admin], roles.EnumerateArray().Select(r => r.GetString()));
                    }

                    await using var db = Invariants.Open(databasePath);
                    Assert.Equal(1, await db.Users.CountAsync());
                    // Each role the initializer ensures exists once, however many instances raced to create it.
                    Assert.Equal([Roles.Admin, Roles.Scanner], (await db.Roles.Select(r => r.Name!).ToListAsync()).Order(StringComparer.Ordinal));
                    Assert.Equal(1, await db.UserRoles.CountAsync());
                    Assert.Equal(1, await db.UserClaims.CountAsync(c => c.ClaimType == DatabaseInitializer.CreatedByInitializerClaim));
                }
                finally
                {
                    // Whichever started is stopped, also when the other did not come up.
                    foreach (var start in starting.Where(s => s.IsCompletedSuccessfully))
                    {
                        await (await start).DisposeAsync();
                    }
                }
            }
            finally
            {
                TicketingApp.DeleteDatabase(databasePath);
            }
        }
    }

    private static HttpClient Client(WebProcess web) =>
        new(new SocketsHttpHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = web.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
}
