using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api;

public enum Caller
{
    Anonymous,
    AnotherUser,
    Owner,
    Admin,
}

/// <summary>
/// Every route against every kind of caller. "Owner" is the seller for ticket routes and the buyer
/// for order and payment routes; for routes without an owner it is simply a signed-in user.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixTests.MatrixFixture fixture) : IClassFixture<AuthorizationMatrixTests.MatrixFixture>
{
    private const string Password = "correct-horse-battery";

    private static readonly Dictionary<string, Func<HttpClient, Scene, Task<HttpResponseMessage>>> Routes = new()
    {
        ["POST /api/users/signup"] = (c, _) => c.PostAsJsonAsync("/api/users/signup", new { email = $"matrix-{Guid.NewGuid():N}@example.com", password = Password }),
        ["POST /api/users/signin"] = (c, s) => c.PostAsJsonAsync("/api/users/signin", new { email = s.OtherEmail, password = Password }),
        ["POST /api/users/signout"] = (c, _) => c.PostAsJsonAsync("/api/users/signout", new { }),
        ["GET /api/users/currentuser"] = (c, _) => c.GetAsync("/api/users/currentuser"),
        ["GET /api/tickets"] = (c, _) => c.GetAsync("/api/tickets"),
        ["GET /api/tickets/{id}"] = (c, s) => c.GetAsync($"/api/tickets/{s.ReservedTicketId}"),
        ["POST /api/tickets"] = (c, _) => c.PostAsJsonAsync("/api/tickets", new { title = "Matrix", price = 10 }),
        ["PUT /api/tickets/{id}"] = (c, s) => c.PutAsJsonAsync($"/api/tickets/{s.SpareTicketId}", new { title = "Edited", price = 11 }),
        ["POST /api/orders"] = (c, s) => c.PostAsJsonAsync("/api/orders", new { ticketId = s.SpareTicketId }),
        ["GET /api/orders"] = (c, _) => c.GetAsync("/api/orders"),
        ["GET /api/orders/{id}"] = (c, s) => c.GetAsync($"/api/orders/{s.OrderId}"),
        ["DELETE /api/orders/{id}"] = (c, s) => c.DeleteAsync($"/api/orders/{s.OrderId}"),
        ["POST /api/orders/{id}/refund"] = (c, s) => c.PostAsJsonAsync($"/api/orders/{s.OrderId}/refund", new { reason = "Matrix" }),
        ["POST /api/payments"] = (c, s) => c.PostAsJsonAsync("/api/payments", new { orderId = s.OrderId, token = "tok_visa" }),
        ["POST /api/payments/webhook"] = (c, _) => c.PostAsJsonAsync("/api/payments/webhook", new { type = "payment_intent.succeeded" }),
        ["PUT /api/tickets/{id}/file"] = (c, s) => c.PutAsync($"/api/tickets/{s.SpareTicketId}/file", Pdf()),
        ["GET /api/tickets/{id}/file"] = (c, s) => c.GetAsync($"/api/tickets/{s.SpareTicketId}/file"),
        ["DELETE /api/tickets/{id}/file"] = (c, s) => c.DeleteAsync($"/api/tickets/{s.SpareTicketId}/file"),
        ["GET /api/orders/{id}/ticket"] = (c, s) => c.GetAsync($"/api/orders/{s.OrderId}/ticket"),
        ["POST /api/checkins"] = (c, _) => c.PostAsJsonAsync("/api/checkins", new { code = "not-a-code" }),
    };

    private readonly MatrixFixture _fixture = fixture;

    public static TheoryData<string, Caller, int> Matrix => new()
    {
        { "POST /api/users/signup", Caller.Anonymous, 201 },
        { "POST /api/users/signup", Caller.AnotherUser, 201 },
        { "POST /api/users/signup", Caller.Owner, 201 },
        { "POST /api/users/signup", Caller.Admin, 201 },
        { "POST /api/users/signin", Caller.Anonymous, 200 },
        { "POST /api/users/signin", Caller.AnotherUser, 200 },
        { "POST /api/users/signin", Caller.Owner, 200 },
        { "POST /api/users/signin", Caller.Admin, 200 },
        { "POST /api/users/signout", Caller.Anonymous, 200 },
        { "POST /api/users/signout", Caller.AnotherUser, 200 },
        { "POST /api/users/signout", Caller.Owner, 200 },
        { "POST /api/users/signout", Caller.Admin, 200 },
        { "GET /api/users/currentuser", Caller.Anonymous, 200 },
        { "GET /api/users/currentuser", Caller.AnotherUser, 200 },
        { "GET /api/users/currentuser", Caller.Owner, 200 },
        { "GET /api/users/currentuser", Caller.Admin, 200 },
        { "GET /api/tickets", Caller.Anonymous, 200 },
        { "GET /api/tickets", Caller.AnotherUser, 200 },
        { "GET /api/tickets", Caller.Owner, 200 },
        { "GET /api/tickets", Caller.Admin, 200 },
        { "GET /api/tickets/{id}", Caller.Anonymous, 200 },
        { "GET /api/tickets/{id}", Caller.AnotherUser, 200 },
        { "GET /api/tickets/{id}", Caller.Owner, 200 },
        { "GET /api/tickets/{id}", Caller.Admin, 200 },
        { "POST /api/tickets", Caller.Anonymous, 401 },
        { "POST /api/tickets", Caller.AnotherUser, 201 },
        { "POST /api/tickets", Caller.Owner, 201 },
        { "POST /api/tickets", Caller.Admin, 201 },
        { "PUT /api/tickets/{id}", Caller.Anonymous, 401 },
        { "PUT /api/tickets/{id}", Caller.AnotherUser, 401 },
        { "PUT /api/tickets/{id}", Caller.Owner, 200 },
        { "PUT /api/tickets/{id}", Caller.Admin, 200 },
        { "POST /api/orders", Caller.Anonymous, 401 },
        { "POST /api/orders", Caller.AnotherUser, 201 },
        { "POST /api/orders", Caller.Owner, 400 },
        { "POST /api/orders", Caller.Admin, 201 },
        { "GET /api/orders", Caller.Anonymous, 401 },
        { "GET /api/orders", Caller.AnotherUser, 200 },
        { "GET /api/orders", Caller.Owner, 200 },
        { "GET /api/orders", Caller.Admin, 200 },
        { "GET /api/orders/{id}", Caller.Anonymous, 401 },
        { "GET /api/orders/{id}", Caller.AnotherUser, 401 },
        { "GET /api/orders/{id}", Caller.Owner, 200 },
        { "GET /api/orders/{id}", Caller.Admin, 200 },
        { "DELETE /api/orders/{id}", Caller.Anonymous, 401 },
        { "DELETE /api/orders/{id}", Caller.AnotherUser, 401 },
        { "DELETE /api/orders/{id}", Caller.Owner, 204 },
        { "DELETE /api/orders/{id}", Caller.Admin, 204 },

        // Admins only; the scene's order is not paid, so the admin passes and is refused by the order's state.
        { "POST /api/orders/{id}/refund", Caller.Anonymous, 401 },
        { "POST /api/orders/{id}/refund", Caller.AnotherUser, 401 },
        { "POST /api/orders/{id}/refund", Caller.Owner, 401 },
        { "POST /api/orders/{id}/refund", Caller.Admin, 400 },
        { "POST /api/payments", Caller.Anonymous, 401 },
        { "POST /api/payments", Caller.AnotherUser, 401 },
        { "POST /api/payments", Caller.Owner, 201 },
        { "POST /api/payments", Caller.Admin, 401 },
        { "POST /api/payments/webhook", Caller.Anonymous, 400 },
        { "POST /api/payments/webhook", Caller.AnotherUser, 400 },
        { "POST /api/payments/webhook", Caller.Owner, 400 },
        { "POST /api/payments/webhook", Caller.Admin, 400 },

        // The scene's spare listing carries a file: its seller and admins manage it, nobody else sees it.
        { "PUT /api/tickets/{id}/file", Caller.Anonymous, 401 },
        { "PUT /api/tickets/{id}/file", Caller.AnotherUser, 401 },
        { "PUT /api/tickets/{id}/file", Caller.Owner, 200 },
        { "PUT /api/tickets/{id}/file", Caller.Admin, 200 },
        { "GET /api/tickets/{id}/file", Caller.Anonymous, 401 },
        { "GET /api/tickets/{id}/file", Caller.AnotherUser, 401 },
        { "GET /api/tickets/{id}/file", Caller.Owner, 200 },
        { "GET /api/tickets/{id}/file", Caller.Admin, 200 },
        { "DELETE /api/tickets/{id}/file", Caller.Anonymous, 401 },
        { "DELETE /api/tickets/{id}/file", Caller.AnotherUser, 401 },
        { "DELETE /api/tickets/{id}/file", Caller.Owner, 204 },
        { "DELETE /api/tickets/{id}/file", Caller.Admin, 204 },

        // The scene's order is not paid: its buyer and admins pass and find no ticket yet.
        { "GET /api/orders/{id}/ticket", Caller.Anonymous, 401 },
        { "GET /api/orders/{id}/ticket", Caller.AnotherUser, 401 },
        { "GET /api/orders/{id}/ticket", Caller.Owner, 404 },
        { "GET /api/orders/{id}/ticket", Caller.Admin, 404 },

        // Scanners and admins only; an admin passes and is refused by the code.
        { "POST /api/checkins", Caller.Anonymous, 401 },
        { "POST /api/checkins", Caller.AnotherUser, 401 },
        { "POST /api/checkins", Caller.Owner, 401 },
        { "POST /api/checkins", Caller.Admin, 400 },
    };

    [Fact]
    public void Matrix_CoversEveryRouteForEveryCaller()
    {
        var rows = Matrix.Select(row => ((string)row[0], (Caller)row[1])).ToHashSet();

        Assert.Equal(Routes.Count * Enum.GetValues<Caller>().Length, rows.Count);
        Assert.All(Routes.Keys, route => Assert.All(Enum.GetValues<Caller>(), caller => Assert.Contains((route, caller), rows)));
    }

    [Fact]
    public void Matrix_NamesEveryApiRouteTheAppServes()
    {
        var served = _fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(method => $"{method} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .ToHashSet();

        Assert.NotEmpty(served);
        Assert.Equal(served.Order(StringComparer.Ordinal), Routes.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Route_ForCaller_AnswersTheExpectedStatus(string route, Caller caller, int expected)
    {
        var scene = await _fixture.ArrangeAsync();
        var client = await _fixture.ClientForAsync(route, caller);

        var response = await Routes[route](client, scene);

        if (expected >= 400)
        {
            await response.AssertErrorAsync((HttpStatusCode)expected);
            Assert.Null(response.Headers.Location);
        }
        else
        {
            Assert.True(expected == (int)response.StatusCode, $"{route} as {caller}: expected {expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static ByteArrayContent Pdf()
    {
        var content = new ByteArrayContent(SampleTicketFiles.Pdf());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        return content;
    }

    /// <summary>A seller's reserved ticket and spare ticket (with its file), and the buyer's order: fresh for every row.</summary>
    public sealed record Scene(string OtherEmail, Guid ReservedTicketId, Guid SpareTicketId, Guid OrderId);

    /// <summary>
    /// The seller, the buyer and a bystander, signed up once for the whole matrix (hashing passwords
    /// is what costs). Routes that change who a client is signed in as get a fresh client. The one
    /// buyer reserves a ticket for every row, so the cap on live reservations is raised out of the way.
    /// </summary>
    public sealed class MatrixFixture() : AppFixture(("Ordering:MaxLiveOrdersPerBuyer", "1000"))
    {
        // The rest are the seller's: the listings, and a reservation of the seller's own ticket.
        private static readonly HashSet<string> BuyerOwned =
            ["GET /api/orders", "GET /api/orders/{id}", "DELETE /api/orders/{id}", "POST /api/orders/{id}/refund", "GET /api/orders/{id}/ticket", "POST /api/payments", "POST /api/payments/webhook"];

        private readonly Dictionary<Caller, HttpClient> _clients = [];
        private readonly List<HttpClient> _disposables = [];
        private string _sellerEmail = string.Empty;
        private string _otherEmail = string.Empty;
        private HttpClient _seller = null!;
        private HttpClient _buyer = null!;

        public override async Task InitializeAsync()
        {
            (_seller, _, _sellerEmail) = await App.SignUpAsync(password: Password);
            (_buyer, _, _) = await App.SignUpAsync(password: Password);
            HttpClient other;
            (other, _, _otherEmail) = await App.SignUpAsync(password: Password);
            _clients[Caller.AnotherUser] = other;
            _clients[Caller.Admin] = await App.SignInAdminAsync();
            _clients[Caller.Anonymous] = App.CreateUserClient();
            _disposables.AddRange([_seller, _buyer, .. _clients.Values]);
        }

        public override async Task DisposeAsync()
        {
            _disposables.ForEach(c => c.Dispose());
            await base.DisposeAsync();
        }

        public async Task<Scene> ArrangeAsync()
        {
            var reserved = await _seller.ListTicketAsync("Reserved");
            var spare = await _seller.ListTicketAsync("Spare");
            (await _seller.PutAsync($"/api/tickets/{spare.Id}/file", Pdf())).EnsureSuccessStatusCode();
            var order = await _buyer.ReserveAsync(reserved.Id);
            return new Scene(_otherEmail, reserved.Id, spare.Id, order.Id);
        }

        public async Task<HttpClient> ClientForAsync(string route, Caller caller)
        {
            var changesIdentity = route.StartsWith("POST /api/users/", StringComparison.Ordinal);
            if (!changesIdentity)
            {
                return caller == Caller.Owner ? (BuyerOwned.Contains(route) ? _buyer : _seller) : _clients[caller];
            }

            var client = caller switch
            {
                Caller.Anonymous => App.CreateUserClient(),
                Caller.AnotherUser => await SignInAsync(_otherEmail),
                Caller.Owner => await SignInAsync(_sellerEmail),
                _ => await App.SignInAdminAsync(),
            };
            _disposables.Add(client);
            return client;
        }

        private async Task<HttpClient> SignInAsync(string email)
        {
            var client = App.CreateUserClient();
            var response = await client.PostAsJsonAsync("/api/users/signin", new { email, password = Password });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return client;
        }
    }
}
