using System.Net;
using System.Net.Http.Json;
using Ticketing.ReliabilityTests.Support;
using Ticketing.Testing;

namespace Ticketing.ReliabilityTests;

/// <summary>
/// The real app process started in Production: it refuses, with one log line naming the setting to
/// fix and a non-zero exit code, every set-up that would give tickets away, accept unverifiable
/// payments, take no card or hand out the admin account, and every setting it cannot read or run
/// with, before it touches the database; and it starts when everything is set.
/// </summary>
public sealed class ProductionStartupTests
{
    private const string OwnAdminPassword = "a passphrase of our very own";

    public static TheoryData<string, string[]> Refusals => new()
    {
        { "no Stripe key", ["Stripe:SecretKey", "Payments:AllowTestGateway"] },
        { "a Stripe key without a webhook secret", ["Stripe:WebhookSecret"] },
        { "a Stripe key without a publishable key", ["Stripe:PublishableKey"] },
        { "the documented admin password", ["Admin:Password"] },
        { "no admin password", ["Admin:Password"] },
        { "a forwarded-headers network that is not one", ["ForwardedHeaders:KnownNetworks"] },
        { "a database the app does not know", ["Database:Provider", "'Sqlite' or 'SqlServer'", "'Oracle'"] },
        { "a rate limit that is not a number", ["RateLimiting:AuthPermitLimit must be a whole number, not 'twenty'"] },
        { "a hold of no time", ["Ordering:ReservationMinutes"] },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Production_Refuses_ToStart_NamingTheSettingToFix(string setUp, string[] named)
    {
        var databasePath = TicketingApp.NewDatabasePath();
        try
        {
            var (exitCode, output) = await WebProcess.RunUntilExitAsync(databasePath, "Production", SetUp(setUp), TimeSpan.FromSeconds(90));

            Assert.NotEqual(0, exitCode);
            var line = Assert.Single(output.Split('\n'), line => line.Contains("Refusing to start", StringComparison.Ordinal));
            var refusal = System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("Message").GetString()!;
            Assert.All(named, setting => Assert.Contains(setting, refusal, StringComparison.Ordinal));
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);

            // Refused before touching anything: not even the database file was made.
            Assert.False(File.Exists(databasePath), $"{setUp}: the database was created although the app refused to start");
        }
        finally
        {
            TicketingApp.DeleteDatabase(databasePath);
        }
    }

    [Theory]
    [InlineData("Stripe")]
    [InlineData("the test gateway on purpose")]
    public async Task Production_WithEverythingSet_StartsAndTheAdminSignsInWithTheOwnPassword(string payments)
    {
        var databasePath = TicketingApp.NewDatabasePath();
        var settings = new Dictionary<string, string>
        {
            ["Admin__Password"] = OwnAdminPassword,
            ["Logging__LogLevel__Default"] = "Information",
        };
        if (payments == "Stripe")
        {
            settings["Stripe__SecretKey"] = "sk_test_never_called";
            settings["Stripe__PublishableKey"] = "pk_test_startup";
            settings["Stripe__WebhookSecret"] = "whsec_startup_test";
        }
        else
        {
            settings["Payments__AllowTestGateway"] = "true";
        }

        try
        {
            await using var web = await WebProcess.StartAsync(databasePath, reservationSeconds: 60, environment: "Production", settings: settings);
            await web.WaitForAsync("/health/ready", TimeSpan.FromSeconds(60));

            // Over plain HTTP the Secure cookie would not come back: sign-in is checked on its answer.
            using var client = new HttpClient { BaseAddress = web.BaseAddress };
            var signIn = await client.PostAsJsonAsync("/api/users/signin", new { email = TicketingApp.AdminEmail, password = OwnAdminPassword });
            var documented = await client.PostAsJsonAsync("/api/users/signin", new { email = TicketingApp.AdminEmail, password = TicketingApp.AdminPassword });

            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
            Assert.Contains(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ticketing.auth=", StringComparison.Ordinal) && c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
            Assert.Equal(HttpStatusCode.BadRequest, documented.StatusCode);
            Assert.DoesNotContain("Refusing to start", web.LogTail, StringComparison.Ordinal);
        }
        finally
        {
            TicketingApp.DeleteDatabase(databasePath);
        }
    }

    private static Dictionary<string, string> SetUp(string setUp) => setUp switch
    {
        "no Stripe key" => new() { ["Admin__Password"] = OwnAdminPassword },
        "a Stripe key without a webhook secret" => new()
        {
            ["Admin__Password"] = OwnAdminPassword,
            ["Stripe__SecretKey"] = "sk_test_no_secret",
            ["Stripe__PublishableKey"] = "pk_test_startup",
        },
        "a Stripe key without a publishable key" => new()
        {
            ["Admin__Password"] = OwnAdminPassword,
            ["Stripe__SecretKey"] = "sk_test_no_publishable_key",
            ["Stripe__WebhookSecret"] = "whsec_startup_test",
        },
        "the documented admin password" => new() { ["Admin__Password"] = TicketingApp.AdminPassword, ["Payments__AllowTestGateway"] = "true" },
        "no admin password" => new() { ["Payments__AllowTestGateway"] = "true" },
        "a forwarded-headers network that is not one" => new()
        {
            ["Admin__Password"] = OwnAdminPassword,
            ["Payments__AllowTestGateway"] = "true",
            ["ForwardedHeaders__KnownNetworks"] = "10.0.0.0/8, the-proxy",
        },
        "a database the app does not know" => Otherwise(("Database__Provider", "Oracle")),
        "a rate limit that is not a number" => Otherwise(("RateLimiting__AuthPermitLimit", "twenty")),
        "a hold of no time" => Otherwise(("Ordering__ReservationMinutes", "0")),
        _ => throw new ArgumentOutOfRangeException(nameof(setUp), setUp, null),
    };

    /// <summary>Everything Production needs, and one setting the app cannot run with.</summary>
    private static Dictionary<string, string> Otherwise((string Key, string Value) wrong) => new()
    {
        ["Admin__Password"] = OwnAdminPassword,
        ["Payments__AllowTestGateway"] = "true",
        [wrong.Key] = wrong.Value,
    };
}
