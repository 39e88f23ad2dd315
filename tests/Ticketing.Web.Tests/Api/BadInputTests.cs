using System.Net;
using System.Text;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api;

/// <summary>
/// Every state-changing route fed what a careless or hostile client sends: always a 4xx in the
/// errors shape, and nothing changed in the database.
/// </summary>
public sealed class BadInputTests(BadInputTests.BadInputFixture fixture) : IClassFixture<BadInputTests.BadInputFixture>
{
    private const string Json = "application/json";

    private static readonly string Huge = new('x', 100 * 1024);

    /// <summary>Per route: a body with wrong types (and the field it names), one of 100 KB strings, and a valid one.</summary>
    private static readonly Dictionary<string, (string WrongTypes, string Field, string HugeStrings, string Valid)> Bodies = new()
    {
        ["POST /api/users/signup"] = ("""{"email":123,"password":true}""", "email", $$"""{"email":"{{Huge}}@example.com","password":"{{Huge}}"}""", """{"email":"new-user@example.com","password":"password123"}"""),
        ["POST /api/users/signin"] = ("""{"email":["a@example.com"],"password":"password123"}""", "email", $$"""{"email":"{{Huge}}","password":"{{Huge}}"}""", """{"email":"nobody@example.com","password":"password123"}"""),
        ["POST /api/tickets"] = ("""{"title":"Concert","price":"12.50"}""", "price", $$"""{"title":"{{Huge}}","price":10,"venue":"{{Huge}}","description":"{{Huge}}"}""", """{"title":"Concert","price":10}"""),
        ["PUT /api/tickets/{ticket}"] = ("""{"title":"Concert","price":10,"version":"0"}""", "version", $$"""{"title":"{{Huge}}","price":10,"venue":"{{Huge}}","description":"{{Huge}}"}""", """{"title":"Edited","price":10}"""),
        ["POST /api/orders"] = ("""{"ticketId":12345}""", "ticketId", $$"""{"ticketId":"{{Huge}}"}""", """{"ticketId":"{ticket}"}"""),
        ["POST /api/payments"] = ("""{"orderId":"{order}","token":42}""", "token", $$"""{"orderId":"{order}","token":"{{Huge}}"}""", """{"orderId":"{order}","token":"tok_visa"}"""),
    };

    /// <summary>Each kind of bad input: the body (null: none at all) and the content type it is sent with.</summary>
    private static readonly Dictionary<string, Func<string, (string? Body, string? ContentType)>> Kinds = new()
    {
        ["malformed JSON"] = _ => ("""{"title": "Concert", "price": """, Json),
        ["a JSON array"] = _ => ("[1, 2, 3]", Json),
        ["a JSON string"] = _ => ("\"just a string\"", Json),
        ["JSON null"] = _ => ("null", Json),
        ["wrong types"] = route => (Bodies[route].WrongTypes, Json),
        ["no body"] = _ => (null, null),
        ["an empty JSON body"] = _ => (string.Empty, Json),
        ["a blank JSON body"] = _ => ("  \r\n ", Json),
        ["100 KB strings"] = route => (Bodies[route].HugeStrings, Json),
        ["only unknown and client-owned fields"] = _ => ("""{"unexpected":"x","userId":"00000000-0000-0000-0000-000000000001","status":"sold","version":3,"roles":["Admin"]}""", Json),
        ["text/plain"] = route => (Bodies[route].Valid, "text/plain"),
        ["a form"] = route => (Bodies[route].Valid, "application/x-www-form-urlencoded"),
        ["XML content type"] = route => (Bodies[route].Valid, "application/xml"),
        ["JSON without a content type"] = route => (Bodies[route].Valid, null),
        ["a body over 1 MB"] = _ => ($$"""{"pad":"{{new string('x', 1100 * 1024)}}"}""", Json),
        ["an empty object"] = _ => ("{}", "text/plain"),
        ["an empty object as multipart"] = _ => ("{}", "multipart/form-data; boundary=x"),
        ["an unsigned event"] = _ => ("""{"id":"evt_1","type":"payment_intent.succeeded"}""", "text/plain"),
    };

    private readonly BadInputFixture _fixture = fixture;

    /// <summary>Route, kind of bad input, expected status, and the field a wrong type is reported on.</summary>
    public static TheoryData<string, string, int, string?> Requests
    {
        get
        {
            var rows = new TheoryData<string, string, int, string?>();
            foreach (var route in Bodies.Keys)
            {
                foreach (var kind in new[] { "malformed JSON", "a JSON array", "a JSON string", "JSON null", "no body", "an empty JSON body", "a blank JSON body", "100 KB strings", "only unknown and client-owned fields" })
                {
                    rows.Add(route, kind, 400, null);
                }

                rows.Add(route, "wrong types", 400, Bodies[route].Field);
                foreach (var kind in new[] { "text/plain", "a form", "XML content type", "JSON without a content type" })
                {
                    rows.Add(route, kind, 415, null);
                }

                rows.Add(route, "a body over 1 MB", 413, null);
            }

            rows.Add("POST /api/users/signout", "an empty object", 415, null);
            rows.Add("POST /api/users/signout", "no body", 415, null);
            rows.Add("DELETE /api/orders/{order}", "an empty object", 415, null);
            rows.Add("DELETE /api/orders/{order}", "an empty object as multipart", 415, null);
            rows.Add("POST /api/payments/webhook", "malformed JSON", 400, null);
            rows.Add("POST /api/payments/webhook", "no body", 400, null);
            rows.Add("POST /api/payments/webhook", "an unsigned event", 400, null);
            return rows;
        }
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task BadRequest_IsRefusedInTheErrorsShape_AndChangesNothing(string route, string kind, int expected, string? field)
    {
        var before = await DatabaseState.ReadAsync(_fixture.App);
        var (body, contentType) = Kinds[kind](route);
        using var request = _fixture.Request(route, body, contentType);

        var response = await _fixture.ClientFor(route).SendAsync(request);

        var errors = await response.AssertErrorAsync((HttpStatusCode)expected);
        if (field is not null)
        {
            Assert.Contains(errors.Errors, e => e.Field == field);
        }

        Assert.Equal(before, await DatabaseState.ReadAsync(_fixture.App));
        await _fixture.AssertScenesUnchangedAsync();
    }

    [Fact]
    public async Task ValidBodies_InTheRows_WouldSucceed()
    {
        // Guards the 415 rows: they send bodies that are refused only for their content type.
        var (seller, _, _) = await _fixture.App.SignUpAsync();
        var (buyer, _, _) = await _fixture.App.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = new StringContent($$"""{"ticketId":"{{ticket.Id}}"}""", Encoding.UTF8, "application/json"),
        };

        var response = await buyer.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>A seller with a ticket and a buyer with an order for another one, for the rows to aim at.</summary>
    public sealed class BadInputFixture : AppFixture
    {
        private HttpClient _seller = null!;
        private HttpClient _buyer = null!;
        private TicketDto _spareTicket = null!;
        private OrderDto _order = null!;

        public override async Task InitializeAsync()
        {
            (_seller, _, _) = await App.SignUpAsync();
            (_buyer, _, _) = await App.SignUpAsync();
            _spareTicket = await _seller.ListTicketAsync("Spare");
            var reserved = await _seller.ListTicketAsync("Reserved");
            _order = await _buyer.ReserveAsync(reserved.Id);
        }

        public override async Task DisposeAsync()
        {
            _seller.Dispose();
            _buyer.Dispose();
            await base.DisposeAsync();
        }

        /// <summary>The seller edits tickets; the buyer orders, pays and cancels; anyone signs in.</summary>
        public HttpClient ClientFor(string route) => route.StartsWith("PUT /api/tickets", StringComparison.Ordinal) ? _seller : _buyer;

        public HttpRequestMessage Request(string route, string? body, string? contentType)
        {
            var (method, path) = (route.Split(' ')[0], Fill(route.Split(' ')[1]));
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Fill(body)));
                if (contentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                }
            }

            return request;
        }

        public async Task AssertScenesUnchangedAsync()
        {
            var order = await _buyer.GetOrderAsync(_order.Id);
            Assert.Equal(("created", 0), (order.Status, order.Version));
            Assert.Equal(_spareTicket, await _seller.GetTicketAsync(_spareTicket.Id));
        }

        private string Fill(string text) => text
            .Replace("{ticket}", _spareTicket.Id.ToString(), StringComparison.Ordinal)
            .Replace("{order}", _order.Id.ToString(), StringComparison.Ordinal);
    }
}
