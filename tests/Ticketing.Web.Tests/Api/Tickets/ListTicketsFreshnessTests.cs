using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Testing;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Web.Tests.Api.Tickets;

/// <summary>
/// The public list is served from a cache, and yet every change, by this instance or by anything
/// else writing the database, shows on the very next read. Each test reads the list first so that
/// the change has a cached body to invalidate.
/// </summary>
public sealed class ListTicketsFreshnessTests(ListQueryFixture fixture) : IClassFixture<ListQueryFixture>
{
    [Fact]
    public async Task List_AfterANewListing_ShowsIt()
    {
        var (seller, _) = await fixture.SignUpAsync();
        using var reader = fixture.NewClient();
        await ListAsync(reader);

        var ticket = await seller.ListTicketAsync("Fresh");

        Assert.Contains(ticket, await ListAsync(reader));
    }

    [Fact]
    public async Task List_AfterAnEdit_ShowsTheNewDetails()
    {
        var (seller, _) = await fixture.SignUpAsync();
        var ticket = await seller.ListTicketAsync("Before", 20m);
        using var reader = fixture.NewClient();
        Assert.Contains(ticket, await ListAsync(reader));

        var response = await seller.PutAsJsonAsync($"/api/tickets/{ticket.Id}", new { title = "After", price = 35.5m, venue = "Hall" });
        response.EnsureSuccessStatusCode();

        var listed = Assert.Single(await ListAsync(reader), t => t.Id == ticket.Id);
        Assert.Equal(ticket with { Title = "After", Price = 35.5m, Venue = "Hall", Version = 1 }, listed);
    }

    [Fact]
    public async Task List_AfterAReservation_ShowsItReserved()
    {
        var (seller, _) = await fixture.SignUpAsync();
        var (buyer, _) = await fixture.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        using var reader = fixture.NewClient();
        Assert.Equal("available", Assert.Single(await ListAsync(reader), t => t.Id == ticket.Id).Status);

        var order = await buyer.ReserveAsync(ticket.Id);

        var listed = Assert.Single(await ListAsync(reader), t => t.Id == ticket.Id);
        Assert.Equal(("reserved", (Guid?)order.Id, (DateTimeOffset?)order.ExpiresAt), (listed.Status, listed.OrderId, listed.ReservedUntil));
    }

    [Fact]
    public async Task List_AfterAPayment_ShowsItSold()
    {
        var (seller, _) = await fixture.SignUpAsync();
        var (buyer, _) = await fixture.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        var order = await buyer.ReserveAsync(ticket.Id);
        using var reader = fixture.NewClient();
        Assert.Equal("reserved", Assert.Single(await ListAsync(reader), t => t.Id == ticket.Id).Status);

        await buyer.PayAsync(order.Id);

        var listed = Assert.Single(await ListAsync(reader), t => t.Id == ticket.Id);
        Assert.Equal(("sold", (Guid?)order.Id, (DateTimeOffset?)null), (listed.Status, listed.OrderId, listed.ReservedUntil));
    }

    [Fact]
    public async Task List_AfterTheBuyerCancels_ShowsItAvailableAgain()
    {
        var (seller, _) = await fixture.SignUpAsync();
        var (buyer, _) = await fixture.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        var order = await buyer.ReserveAsync(ticket.Id);
        using var reader = fixture.NewClient();
        Assert.Equal("reserved", Assert.Single(await ListAsync(reader), t => t.Id == ticket.Id).Status);

        (await buyer.DeleteAsync($"/api/orders/{order.Id}")).EnsureSuccessStatusCode();

        var listed = Assert.Single(await ListAsync(reader), t => t.Id == ticket.Id);
        Assert.Equal(("available", (Guid?)null, (DateTimeOffset?)null), (listed.Status, listed.OrderId, listed.ReservedUntil));
    }

    [Fact]
    public async Task List_AfterAWithdrawal_NoLongerShowsIt()
    {
        var (seller, sellerId) = await fixture.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        using var reader = fixture.NewClient();
        Assert.Contains(await ListAsync(reader), t => t.Id == ticket.Id);

        await using (var scope = fixture.Host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TicketListings>().WithdrawAsync(new Actor(sellerId), ticket.Id);
        }

        Assert.DoesNotContain(await ListAsync(reader), t => t.Id == ticket.Id);
    }

    [Fact]
    public async Task List_AfterAListingOnAnotherInstance_ShowsIt()
    {
        using var reader = fixture.NewClient();
        await ListAsync(reader);
        await using var other = new TicketingApp(settings: AppFixture.Settings(), databasePath: fixture.App.DatabasePath);
        var (seller, _, _) = await other.SignUpAsync();

        var ticket = await seller.ListTicketAsync("Listed elsewhere");

        Assert.Contains(ticket, await ListAsync(reader));
    }

    [Fact]
    public async Task List_AfterARawWriteFromAnotherConnection_ShowsIt()
    {
        var (seller, _) = await fixture.SignUpAsync();
        var ticket = await seller.ListTicketAsync("Before");
        using var reader = fixture.NewClient();
        Assert.Contains(ticket, await ListAsync(reader));

        await RawWriteAsync(fixture.App.DatabasePath, "UPDATE tickets SET Title = 'Written elsewhere' WHERE Id = $id;", ticket.Id);

        Assert.Equal("Written elsewhere", Assert.Single(await ListAsync(reader), t => t.Id == ticket.Id).Title);
    }

    [Fact]
    public async Task List_AfterAWriteThroughASeparateContext_ShowsIt()
    {
        var (seller, _) = await fixture.SignUpAsync();
        var ticket = await seller.ListTicketAsync(price: 20m);
        using var reader = fixture.NewClient();
        Assert.Contains(ticket, await ListAsync(reader));

        var options = new DbContextOptionsBuilder<SqliteTicketingDbContext>()
            .UseSqlite($"Data Source={fixture.App.DatabasePath};Pooling=False").Options;
        await using (var elsewhere = new SqliteTicketingDbContext(options))
        {
            await elsewhere.Tickets.Where(t => t.Id == ticket.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.Price, 99m));
        }

        Assert.Equal(99m, Assert.Single(await ListAsync(reader), t => t.Id == ticket.Id).Price);
    }

    [Fact]
    public async Task List_WithEachStatusFilter_FollowsEveryChange()
    {
        var (seller, _) = await fixture.SignUpAsync();
        var (buyer, _) = await fixture.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        using var reader = fixture.NewClient();
        await AssertListedAsAsync(reader, ticket.Id, "available");

        var order = await buyer.ReserveAsync(ticket.Id);
        await AssertListedAsAsync(reader, ticket.Id, "reserved");

        await buyer.PayAsync(order.Id);
        await AssertListedAsAsync(reader, ticket.Id, "sold");
    }

    [Fact]
    public async Task List_WhileOtherReadersKeepFillingTheCache_ShowsEveryWriteOnTheNextRead()
    {
        var (seller, _) = await fixture.SignUpAsync();
        var ticket = await seller.ListTicketAsync("Write 0");
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var client = fixture.NewClient();
            while (!stop.IsCancellationRequested)
            {
                await ListAsync(client);
            }
        })).ToList();

        try
        {
            using var reader = fixture.NewClient();
            for (var i = 1; i <= 30; i++)
            {
                await RawWriteAsync(fixture.App.DatabasePath, $"UPDATE tickets SET Title = 'Write {i}' WHERE Id = $id;", ticket.Id);

                Assert.Equal($"Write {i}", Assert.Single(await ListAsync(reader), t => t.Id == ticket.Id).Title);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(readers);
        }
    }

    private static async Task AssertListedAsAsync(HttpClient reader, Guid ticketId, string status)
    {
        Assert.Equal(status, Assert.Single(await ListAsync(reader), t => t.Id == ticketId).Status);
        foreach (var filter in new[] { "available", "reserved", "sold" })
        {
            var listed = await ListAsync(reader, filter);
            Assert.All(listed, t => Assert.Equal(filter, t.Status));
            Assert.Equal(filter == status, listed.Any(t => t.Id == ticketId));
        }
    }

    private static async Task<List<TicketDto>> ListAsync(HttpClient client, string? status = null) =>
        (await client.GetFromJsonAsync<List<TicketDto>>(status is null ? "/api/tickets" : $"/api/tickets?status={status}"))!;

    /// <summary>A commit on a pool-less connection of its own, as another process would make it.</summary>
    internal static async Task RawWriteAsync(string databasePath, string sql, Guid ticketId)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;

        // EF keeps GUIDs as upper-case text on SQLite.
        command.Parameters.AddWithValue("$id", ticketId.ToString().ToUpperInvariant());
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
