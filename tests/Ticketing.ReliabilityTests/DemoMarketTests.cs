using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.Infrastructure.Demo;
using Ticketing.ReliabilityTests.Support;
using Ticketing.Testing;

namespace Ticketing.ReliabilityTests;

/// <summary>
/// The real app process started with <c>--demo</c>: a fresh database gets the demo market once,
/// through the use cases (the sale is paid, the reservation holds its ticket, the sellers sign in),
/// a second start adds nothing, and Production never gets it.
/// </summary>
public sealed class DemoMarketTests
{
    private static readonly Dictionary<string, string> Verbose = new() { ["Logging__LogLevel__Default"] = "Information" };

    [Fact]
    public async Task DemoFlag_SeedsAFreshDatabaseOnce_ThroughTheUseCases()
    {
        var databasePath = TicketingApp.NewDatabasePath();
        try
        {
            await using (var first = await WebProcess.StartAsync(databasePath, reservationSeconds: 600, settings: Verbose, arguments: [DemoMarket.Flag]))
            {
                var tickets = await TicketsAsync(first);

                Assert.InRange(tickets.Count, 35, 45);
                Assert.Single(tickets, t => t.GetProperty("status").GetString() == "sold");
                Assert.Single(tickets, t => t.GetProperty("status").GetString() == "reserved");
                Assert.All(
                    tickets.Where(t => t.GetProperty("status").GetString() != "available"),
                    t => Assert.Equal(JsonValueKind.String, t.GetProperty("orderId").ValueKind));
                Assert.True(tickets.Count(t => t.GetProperty("eventDate").ValueKind == JsonValueKind.String) >= 30, "most demo listings have an event date");
                Assert.True(tickets.Count(t => t.GetProperty("venue").ValueKind == JsonValueKind.String) >= 30, "most demo listings have a venue");
                Assert.True(tickets.Select(t => t.GetProperty("userId").GetString()).Distinct().Count() >= 3, "several sellers list");

                // The sellers are real accounts that sign in with the documented password.
                using var client = new HttpClient { BaseAddress = first.BaseAddress };
                var signIn = await client.PostAsJsonAsync("/api/users/signin", new { email = "maria.schulz" + DemoCatalogue.EmailDomain, password = DemoCatalogue.Password });
                Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
            }

            await using var second = await WebProcess.StartAsync(databasePath, reservationSeconds: 600, settings: Verbose, arguments: [DemoMarket.Flag]);
            var again = await TicketsAsync(second);

            Assert.InRange(again.Count, 35, 45);
            Assert.Contains("Demo market not created", second.LogTail, StringComparison.Ordinal);
        }
        finally
        {
            TicketingApp.DeleteDatabase(databasePath);
        }
    }

    [Fact]
    public async Task DemoFlag_InProduction_SeedsNothing_AndSaysSo()
    {
        var databasePath = TicketingApp.NewDatabasePath();
        var settings = new Dictionary<string, string>(Verbose)
        {
            ["Admin__Password"] = "a passphrase of our very own",
            ["Payments__AllowTestGateway"] = "true",
            ["Demo__Seed"] = "true",
        };
        try
        {
            await using var web = await WebProcess.StartAsync(databasePath, reservationSeconds: 600, environment: "Production", settings: settings, arguments: [DemoMarket.Flag]);

            Assert.Empty(await TicketsAsync(web));
            Assert.Contains("ignored in Production", web.LogTail, StringComparison.Ordinal);
        }
        finally
        {
            TicketingApp.DeleteDatabase(databasePath);
        }
    }

    private static async Task<List<JsonElement>> TicketsAsync(WebProcess web)
    {
        using var client = new HttpClient { BaseAddress = web.BaseAddress };
        var tickets = await client.GetFromJsonAsync<List<JsonElement>>("/api/tickets?limit=500");
        return tickets!;
    }
}
