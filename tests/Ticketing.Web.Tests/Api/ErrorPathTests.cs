using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api;

/// <summary>
/// The one error path (exception handler + problem details) in the cases it owns beyond the API's
/// own refusals: what the binding refuses, exact words and fields, and failures nobody planned for.
/// </summary>
public sealed class ErrorPathTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TicketingApp _app = fixture.App;

    [Theory]
    [InlineData("""{"title":"Concert","price":"12.50"}""", """{"errors":[{"message":"price must be a number","field":"price"}]}""")]
    [InlineData("""{"title":"Concert","price":10,"eventDate":"next friday"}""", """{"errors":[{"message":"eventDate must be an ISO 8601 timestamp","field":"eventDate"}]}""")]
    [InlineData("""{"title":["Concert"],"price":10}""", """{"errors":[{"message":"title must be a string","field":"title"}]}""")]
    [InlineData("""{"title": "Concert", "price": """, """{"errors":[{"message":"The request body is not valid JSON"}]}""")]
    [InlineData("[1, 2, 3]", """{"errors":[{"message":"The request body must be a JSON object"}]}""")]
    [InlineData("null", """{"errors":[{"message":"The request body must be a JSON object"}]}""")]
    public async Task BodyTheBindingRefuses_Is400_NamingTheFieldAndWhatItMustBe(string body, string expected)
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.PostAsync("/api/tickets", new StringContent(body, Encoding.UTF8, "application/json"));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MissingBody_Is400_SayingABodyIsRequired()
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.PostAsync("/api/orders", content: null);

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "A JSON request body is required");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task BodyInAnotherContentType_Is415_NotTheUnknownRoute404(string contentType)
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.PostAsync("/api/tickets", ApiCalls.Raw("""{"title":"Concert","price":10}""", contentType));

        await response.AssertErrorAsync(HttpStatusCode.UnsupportedMediaType, "Content-Type must be application/json");
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=klingon")]
    [InlineData("application/json; charset=\"\"")]
    public async Task JsonWithAnyCharsetParameter_IsReadAsUtf8(string contentType)
    {
        var (client, _, _) = await _app.SignUpAsync();

        var response = await client.PostAsync("/api/tickets", ApiCalls.Raw("""{"title":"Café Concert","price":10}""", contentType));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains("Café Concert", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeclaredBodyOverTheLimit_Is413_BeforeAnythingReadsIt()
    {
        var (client, _, _) = await _app.SignUpAsync();
        var body = $$"""{"title":"Concert","price":10,"description":"{{new string('x', 1024 * 1024)}}"}""";

        var response = await client.PostAsync("/api/tickets", new StringContent(body, Encoding.UTF8, "application/json"));

        await response.AssertErrorAsync(HttpStatusCode.RequestEntityTooLarge, "The request body must be at most 1 MB");
    }

    [Fact]
    public async Task UnexpectedFailureOutsideDevelopment_Is500InTheErrorsShape_WithoutDetails()
    {
        await using var app = new TicketingApp(settings: AppFixture.Settings(), environment: "Production");
        using var client = app.CreateUserClient();
        await client.GetAsync("/api/tickets");
        await using (var db = app.CreateDbContext())
        {
            await db.Database.ExecuteSqlRawAsync("DROP TABLE tickets");
        }

        var response = await client.GetAsync("/api/tickets");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"errors":[{"message":"Something went wrong"}]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PageOutsideTheApi_KeepsItsHtmlNotFoundPage()
    {
        using var client = _app.CreateUserClient();

        var response = await client.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
