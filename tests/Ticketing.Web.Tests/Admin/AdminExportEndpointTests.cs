using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Admin;

/// <summary>
/// GET /admin/export.csv on the whole app. Callers carry a real Identity application cookie, issued
/// with the app's own data protection (the same cookie a sign-in would set), so the tests do not
/// depend on a sign-in page or API.
/// </summary>
public sealed class AdminExportEndpointTests(AdminExportEndpointTests.App app) : IClassFixture<AdminExportEndpointTests.App>
{
    [Fact]
    public async Task Export_ForAnAnonymousCaller_RedirectsToSignIn()
    {
        using var client = app.Instance.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

        var response = await client.GetAsync(AdminExportEndpoints.Path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        Assert.NotEqual("text/csv", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Export_ForASignedInNonAdmin_IsDenied()
    {
        using var client = await app.ClientSignedInAsAsync(app.BuyerEmail);

        var response = await client.GetAsync(AdminExportEndpoints.Path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_ForAnAdmin_IsACsvFileOfListingsAndOrders()
    {
        using var client = await app.ClientSignedInAsAsync(TicketingApp.AdminEmail);

        var before = DateTime.UtcNow;
        var response = await client.GetAsync(AdminExportEndpoints.Path);
        var after = DateTime.UtcNow;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Contains(response.Content.Headers.ContentDisposition.FileName, new[] { FileName(before), FileName(after) });
        Assert.True(response.Headers.CacheControl!.NoStore);

        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var rows = AdminCsvExportTests.ParseCsv(Encoding.UTF8.GetString(bytes[3..]));
        Assert.Equal(Ticketing.Web.Admin.AdminCsvExport.Columns, rows[0]);
        var listing = Assert.Single(rows, r => r[0] == "listing" && r[1] == app.TicketId.ToString());
        Assert.Equal("'=Rock, \"Live\" night", listing[2]);
        Assert.Equal("85.00", listing[3]);
        Assert.Equal("reserved", listing[4]);
        Assert.Contains(app.SellerEmail, listing);
        var order = Assert.Single(rows, r => r[0] == "order" && r[1] == app.OrderId.ToString());
        Assert.Equal("created", order[4]);
        Assert.Contains(app.BuyerEmail, order);
    }

    private static string FileName(DateTime day) => $"ticketing-export-{day:yyyy-MM-dd}.csv";

    /// <summary>One app for the class: a seller's listing reserved by a buyer, and the seeded admin.</summary>
    public sealed class App : IAsyncLifetime
    {
        public TicketingApp Instance { get; } = new();

        public string SellerEmail { get; } = "seller@example.com";

        public string BuyerEmail { get; } = "buyer@example.com";

        public Guid TicketId { get; private set; }

        public Guid OrderId { get; private set; }

        public async Task InitializeAsync()
        {
            await using var scope = Instance.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var sellerId = await CreateUserAsync(users, SellerEmail);
            var buyerId = await CreateUserAsync(users, BuyerEmail);
            var ticket = await scope.ServiceProvider.GetRequiredService<TicketListings>()
                .CreateAsync(new Actor(sellerId), new TicketInput("=Rock, \"Live\" night", 85m));
            var order = await scope.ServiceProvider.GetRequiredService<TicketOrders>().ReserveAsync(new Actor(buyerId), ticket.Id);
            (TicketId, OrderId) = (ticket.Id, order.Id);
        }

        public async Task DisposeAsync() => await Instance.DisposeAsync();

        public Task<HttpClient> ClientSignedInAsAsync(string email) => SignedInClientAsync(Instance, email);

        /// <summary>A client of <paramref name="app"/> carrying the application cookie of the account <paramref name="email"/>.</summary>
        public static async Task<HttpClient> SignedInClientAsync(TicketingApp app, string email)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email)
                ?? throw new InvalidOperationException($"No user {email}");
            var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>().CreateAsync(user);
            var cookie = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
            var value = cookie.TicketDataFormat.Protect(new AuthenticationTicket(principal, IdentityConstants.ApplicationScheme));

            var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
            client.DefaultRequestHeaders.Add("Cookie", $"{cookie.Cookie.Name}={value}");
            return client;
        }

        private static async Task<Guid> CreateUserAsync(UserManager<AppUser> users, string email)
        {
            var user = new AppUser { UserName = email, Email = email };
            var result = await users.CreateAsync(user, "correct-horse-battery");
            Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
            return user.Id;
        }
    }
}
