using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api;

public sealed class ErrorShapeTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TicketingApp _app = fixture.App;

    [Theory]
    [InlineData("GET", "/api/nothing-here")]
    [InlineData("GET", "/api")]
    [InlineData("POST", "/api/tickets/extra/segments")]
    [InlineData("GET", "/api/users")]
    [InlineData("DELETE", "/api/tickets")]
    [InlineData("PATCH", "/api/orders")]
    public async Task UnknownApiRoute_Returns404InTheErrorsShape(string method, string path)
    {
        using var client = _app.CreateUserClient();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "Not found");
    }

    [Fact]
    public async Task AnonymousCall_Returns401InTheErrorsShape_NotARedirect()
    {
        using var client = _app.CreateUserClient();

        var response = await client.GetAsync("/api/orders");

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized, "Not authorized");
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; charset=UTF-8")]
    public async Task JsonContentType_WithOrWithoutCharset_IsAccepted(string contentType)
    {
        var (client, _, _) = await _app.SignUpAsync();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"title":"Concert","price":10}"""));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await client.PostAsync("/api/tickets", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task ValidationError_NamesTheField_OtherErrorsDoNot()
    {
        var (client, _, _) = await _app.SignUpAsync();

        var validation = await client.PostAsJsonAsync("/api/tickets", new { title = "", price = 10 });
        var notFound = await client.GetAsync($"/api/tickets/{Guid.NewGuid()}");

        Assert.Equal("""{"errors":[{"message":"Title is required","field":"title"}]}""", await validation.Content.ReadAsStringAsync());
        Assert.Equal("""{"errors":[{"message":"Ticket not found"}]}""", await notFound.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnexpectedFailure_Returns500WithoutDetails()
    {
        await using var app = new TicketingApp(settings: AppFixture.Settings());
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
}
