using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Web.Api;

namespace Ticketing.Web.Tests.Api.Tickets;

/// <summary>
/// Between commits the public list is served from memory, byte for byte what the query and the
/// serializer would write. "From memory" is read off the database: no list query runs.
/// </summary>
public sealed class ListTicketsCacheTests(ListQueryFixture fixture) : IClassFixture<ListQueryFixture>
{
    [Fact]
    public async Task List_RepeatedWithoutAnyCommit_RunsNoQuery()
    {
        var (seller, _) = await fixture.SignUpAsync();
        await seller.ListTicketAsync();
        await fixture.SettleAsync();
        using var reader = fixture.NewClient();
        var first = await reader.GetByteArrayAsync("/api/tickets");
        var queries = fixture.Queries.Count;

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(first, await reader.GetByteArrayAsync("/api/tickets"));
        }

        Assert.Equal(queries, fixture.Queries.Count);
    }

    [Fact]
    public async Task List_AfterACommit_RunsTheQueryOnceMore()
    {
        var (seller, _) = await fixture.SignUpAsync();
        var ticket = await seller.ListTicketAsync("Before");
        await fixture.SettleAsync();
        using var reader = fixture.NewClient();
        await reader.GetByteArrayAsync("/api/tickets");
        var queries = fixture.Queries.Count;

        await ListTicketsFreshnessTests.RawWriteAsync(fixture.App.DatabasePath, "UPDATE tickets SET Title = 'After' WHERE Id = $id;", ticket.Id);
        var after = await reader.GetFromJsonAsync<List<TicketDto>>("/api/tickets");
        await reader.GetByteArrayAsync("/api/tickets");

        Assert.Equal("After", Assert.Single(after!, t => t.Id == ticket.Id).Title);
        Assert.Equal(queries + 1, fixture.Queries.Count);
    }

    [Fact]
    public async Task List_ForEachStatusFilter_IsKeptApart()
    {
        var (_, buyer, reserved, order) = await ReservedTicketAsync();
        await buyer.PayAsync(order.Id);
        var (_, _, held, _) = await ReservedTicketAsync();
        await fixture.SettleAsync();
        using var reader = fixture.NewClient();
        string[] queries = ["/api/tickets", "/api/tickets?status=available", "/api/tickets?status=reserved", "/api/tickets?status=sold"];
        var firstRound = new List<byte[]>();
        foreach (var query in queries)
        {
            firstRound.Add(await reader.GetByteArrayAsync(query));
        }

        var count = fixture.Queries.Count;
        var secondRound = new List<byte[]>();
        foreach (var query in queries)
        {
            secondRound.Add(await reader.GetByteArrayAsync(query));
        }

        Assert.Equal(count, fixture.Queries.Count);
        Assert.Equal(firstRound, secondRound);
        Assert.Equal(4, firstRound.Select(Convert.ToBase64String).Distinct().Count());
        Assert.Contains(await reader.GetFromJsonAsync<List<TicketDto>>("/api/tickets?status=sold") ?? [], t => t.Id == reserved.Id);
        Assert.Contains(await reader.GetFromJsonAsync<List<TicketDto>>("/api/tickets?status=reserved") ?? [], t => t.Id == held.Id);
    }

    [Fact]
    public async Task List_ManyConcurrentReadsAfterACommit_RunTheQueryOnce()
    {
        var (seller, _) = await fixture.SignUpAsync();
        var ticket = await seller.ListTicketAsync("Before");
        await fixture.SettleAsync();
        await ListTicketsFreshnessTests.RawWriteAsync(fixture.App.DatabasePath, "UPDATE tickets SET Title = 'After' WHERE Id = $id;", ticket.Id);
        var queries = fixture.Queries.Count;
        var readers = Enumerable.Range(0, 16).Select(_ => fixture.NewClient()).ToList();

        var bodies = await Task.WhenAll(readers.Select(r => r.GetByteArrayAsync("/api/tickets")));

        Assert.Equal(queries + 1, fixture.Queries.Count);
        Assert.All(bodies, body => Assert.Equal(bodies[0], body));
        readers.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task List_FromTheCache_IsByteForByteTheUncachedResponse()
    {
        var (seller, _) = await fixture.SignUpAsync();
        var (buyer, _) = await fixture.SignUpAsync();
        var response = await seller.PostAsJsonAsync("/api/tickets", new
        {
            title = "Ünïcode & <markup> \"quoted\"",
            price = 1234.5m,
            eventDate = "2027-03-04T20:30:00+02:00",
            venue = "Hall",
            description = "Line one\nLine two",
        });
        var dated = (await response.Content.ReadFromJsonAsync<TicketDto>())!;
        await buyer.ReserveAsync(dated.Id);
        await seller.ListTicketAsync("Plain", 10m);
        await fixture.SettleAsync();
        using var reader = fixture.NewClient();
        var queries = fixture.Queries.Count;

        using var filled = await reader.GetAsync("/api/tickets");
        using var cached = await reader.GetAsync("/api/tickets");

        Assert.Equal(queries + 1, fixture.Queries.Count);
        var expected = await UncachedBodyAsync();
        Assert.Contains("\"2027-03-04T18:30:00Z\"", System.Text.Encoding.UTF8.GetString(expected), StringComparison.Ordinal);
        foreach (var served in new[] { filled, cached })
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal("application/json; charset=utf-8", served.Content.Headers.ContentType?.ToString());
            Assert.Equal(expected, await served.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task List_EachPageAndSearch_IsKeptApart()
    {
        var (seller, _) = await fixture.SignUpAsync();
        for (var i = 0; i < 12; i++)
        {
            await seller.ListTicketAsync($"Paged {i}");
        }

        await fixture.SettleAsync();
        using var reader = fixture.NewClient();
        var next = ListTicketsPagingTests.NextLink(await reader.GetAsync("/api/tickets?limit=5"));
        string[] queries = ["/api/tickets?limit=5", next, "/api/tickets?q=paged", "/api/tickets?q=PAGED%201", "/api/tickets?limit=6"];
        var firstRound = new List<byte[]>();
        foreach (var query in queries)
        {
            firstRound.Add(await reader.GetByteArrayAsync(query));
        }

        var count = fixture.Queries.Count;
        var secondRound = new List<byte[]>();
        foreach (var query in queries)
        {
            secondRound.Add(await reader.GetByteArrayAsync(query));
        }

        Assert.Equal(count, fixture.Queries.Count);
        Assert.Equal(firstRound, secondRound);
        Assert.Equal(queries.Length, firstRound.Select(Convert.ToBase64String).Distinct().Count());
    }

    [Fact]
    public async Task List_BeyondThePagesKeptForOneCommit_IsBuiltOnEveryRead()
    {
        var (seller, _) = await fixture.SignUpAsync();
        await seller.ListTicketAsync();
        await fixture.SettleAsync();
        using var reader = fixture.NewClient();
        var searches = Enumerable.Range(0, TicketListCache.MaxPages + 10).Select(i => $"/api/tickets?q=nothing-{i}").ToList();
        foreach (var search in searches)
        {
            await reader.GetByteArrayAsync(search);
        }

        var queries = fixture.Queries.Count;
        await reader.GetByteArrayAsync(searches[0]);
        var afterAKeptPage = fixture.Queries.Count;
        await reader.GetByteArrayAsync(searches[^1]);

        Assert.Equal(queries, afterAKeptPage);
        Assert.Equal(queries + 1, fixture.Queries.Count);
    }

    private async Task<(HttpClient Seller, HttpClient Buyer, TicketDto Ticket, OrderDto Order)> ReservedTicketAsync()
    {
        var (seller, _) = await fixture.SignUpAsync();
        var (buyer, _) = await fixture.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        return (seller, buyer, ticket, await buyer.ReserveAsync(ticket.Id));
    }

    /// <summary>The body as the endpoint would write it without a cache: the first page, as an Ok result.</summary>
    private async Task<byte[]> UncachedBodyAsync()
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var page = await scope.ServiceProvider.GetRequiredService<TicketListings>().ListAsync(new TicketFilter(), after: null, limit: 100);
        IReadOnlyList<TicketView> list = page.Items;
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        using var body = new MemoryStream();
        context.Response.Body = body;

        await TypedResults.Ok(list).ExecuteAsync(context);

        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        return body.ToArray();
    }
}
