using System.Net;
using System.Text.Json;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api;

public sealed class OpenApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private static readonly (string Method, string Path)[] Routes =
    [
        ("post", "/api/users/signup"),
        ("post", "/api/users/signin"),
        ("post", "/api/users/signout"),
        ("get", "/api/users/currentuser"),
        ("post", "/api/users/forgotpassword"),
        ("post", "/api/users/resetpassword"),
        ("get", "/api/users/currentuser/data"),
        ("delete", "/api/users/currentuser"),
        ("get", "/api/tickets"),
        ("post", "/api/tickets"),
        ("get", "/api/tickets/{id}"),
        ("put", "/api/tickets/{id}"),
        ("post", "/api/orders"),
        ("get", "/api/orders"),
        ("get", "/api/orders/{id}"),
        ("delete", "/api/orders/{id}"),
        ("post", "/api/orders/{id}/refund"),
        ("post", "/api/payments"),
        ("post", "/api/payments/webhook"),
        ("put", "/api/tickets/{id}/file"),
        ("get", "/api/tickets/{id}/file"),
        ("delete", "/api/tickets/{id}/file"),
        ("get", "/api/orders/{id}/ticket"),
        ("post", "/api/checkins"),
    ];

    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task Document_ListsEveryRouteAndNothingElse()
    {
        using var document = await ReadDocumentAsync(_app);

        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (op.Name, path.Name)))
            .ToHashSet();
        Assert.Equal(Routes.ToHashSet(), operations);
    }

    [Fact]
    public async Task Document_DescribesBodiesAndErrorsOfEveryRoute()
    {
        using var document = await ReadDocumentAsync(_app);
        var paths = document.RootElement.GetProperty("paths");

        foreach (var (method, path) in Routes)
        {
            var operation = paths.GetProperty(path).GetProperty(method);
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{method} {path} has a summary");
            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            Assert.Contains(responses, r => r.Name.StartsWith('2'));
            foreach (var error in responses.Where(r => r.Name[0] is '4' or '5'))
            {
                var schema = error.Value.GetProperty("content").GetProperty("application/json").GetProperty("schema");
                Assert.Equal("#/components/schemas/ApiErrorResponse", schema.GetProperty("$ref").GetString());
            }

            if (path == "/api/tickets/{id}/file" && method == "put")
            {
                // The upload's body is the file itself.
                Assert.True(operation.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/pdf", out _), "the upload describes its body");
            }
            else if (method is "post" or "put" && path is not "/api/users/signout")
            {
                Assert.True(operation.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _), $"{method} {path} describes its body");
            }
        }

        var ticket = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("TicketView").GetProperty("properties");
        Assert.Equal(
            ["id", "title", "price", "userId", "version", "status", "orderId", "reservedUntil", "eventDate", "venue", "description"],
            ticket.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("/api/tickets", new[] { "status", "q", "limit", "after" })]
    [InlineData("/api/orders", new[] { "limit", "after" })]
    public async Task ListRoutes_DescribeTheirPagingAndTheLinkHeader(string path, string[] parameters)
    {
        using var document = await ReadDocumentAsync(_app);

        var operation = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty("get");
        var described = operation.GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.TryGetProperty("description", out var d) ? d.GetString() : null);
        Assert.Equal(parameters.Order(), described.Keys.Order());
        Assert.All(parameters, name => Assert.False(string.IsNullOrWhiteSpace(described[name]), $"{path} describes {name}"));
        Assert.Contains("1 to 500", described["limit"], StringComparison.Ordinal);
        Assert.True(operation.GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("Link", out _));
        Assert.Contains("400", operation.GetProperty("responses").EnumerateObject().Select(r => r.Name));
    }

    [Fact]
    public async Task Document_IsServedOutsideDevelopmentToo()
    {
        await using var production = new TicketingApp(environment: "Production");

        using var document = await ReadDocumentAsync(production);

        Assert.Equal("Ticketing API", document.RootElement.GetProperty("info").GetProperty("title").GetString());
    }

    [Fact]
    public async Task BrowsableReference_IsServed()
    {
        using var client = _app.CreateClient();

        var response = await client.GetAsync("/scalar/v1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Ticketing API", html, StringComparison.Ordinal);

        // Only the reference: nothing fetched from, or offered by, Scalar's own servers.
        Assert.Contains("\"withDefaultFonts\":false", html, StringComparison.Ordinal);
        Assert.Contains("\"telemetry\":false", html, StringComparison.Ordinal);
        Assert.Contains("\"agent\":{\"disabled\":true}", html, StringComparison.Ordinal);
        Assert.Contains("\"hideClientButton\":true", html, StringComparison.Ordinal);
        Assert.Contains("\"showDeveloperTools\":\"never\"", html, StringComparison.Ordinal);
    }

    private static async Task<JsonDocument> ReadDocumentAsync(TicketingApp app)
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
