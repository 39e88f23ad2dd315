using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Hosting;

public sealed class DataProtectionKeysTests
{
    [Fact]
    public async Task AuthCookie_IssuedBeforeARestart_IsStillAcceptedAfterIt()
    {
        var database = TicketingApp.NewDatabasePath();
        try
        {
            string cookie;
            await using (var before = new TicketingApp(databasePath: database))
            {
                using var client = before.CreateClient();
                var signup = await client.PostAsJsonAsync("/api/users/signup", new { email = "keeper@example.com", password = "correct-horse-battery" });
                signup.EnsureSuccessStatusCode();
                cookie = signup.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ticketing.auth=", StringComparison.Ordinal)).Split(';')[0];
            }

            await using var after = new TicketingApp(databasePath: database);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/currentuser");
            request.Headers.Add("Cookie", cookie);
            using var restarted = after.CreateClient();
            var response = await restarted.SendAsync(request);

            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("keeper@example.com", body.GetProperty("currentUser").GetProperty("email").GetString());
        }
        finally
        {
            TicketingApp.DeleteDatabase(database);
        }
    }
}
