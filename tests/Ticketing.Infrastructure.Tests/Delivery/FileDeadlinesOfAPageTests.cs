using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Delivery;
using Ticketing.Infrastructure.Delivery;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Delivery;

/// <summary>
/// A page of a seller's listings learns by when each of its sold listings without a file must get
/// one in a single read, off the orders' index on the ticket: My listings asks it for every page
/// shown, whatever the number of orders in the market.
/// </summary>
public sealed class FileDeadlinesOfAPageTests
{
    [Fact]
    public async Task APage_GetsTheDeadlinesOfItsSoldListingsWithoutAFile_AndNoOneElses_InOneIndexedRead()
    {
        var commands = new CommandRecorder();
        await using var app = new TicketingApp();
        var services = commands.Attach(app).Services;
        var seller = Guid.NewGuid();
        var noFile = await services.ListTicketAsync(seller, title: "Sold, no file yet");
        var withFile = await services.ListTicketAsync(seller, title: "Sold with its file");
        var unsold = await services.ListTicketAsync(seller, title: "Still for sale");
        var someoneElses = await services.ListTicketAsync(Guid.NewGuid(), title: "Someone else's, no file");
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TicketFiles>().AttachAsync(new Actor(seller), withFile.Id, "seat.pdf", SampleTicketFiles.Pdf());
        }

        foreach (var ticket in new[] { noFile, withFile, someoneElses })
        {
            var buyer = Guid.NewGuid();
            await services.PayAsync(buyer, (await services.ReserveAsync(buyer, ticket.Id)).Id, "tok_visa");
        }

        await services.WaitForOutboxToSettleAsync();
        DateTimeOffset expected;
        await using (var db = await services.GetRequiredService<IDbContextFactory<TicketingDbContext>>().CreateDbContextAsync())
        {
            expected = (await db.Set<ETicket>().SingleAsync(e => e.TicketId == noFile.Id)).SellerSendsBy!.Value;
        }

        commands.Clear();
        IReadOnlyDictionary<Guid, DateTimeOffset> due;
        await using (var scope = services.CreateAsyncScope())
        {
            due = await scope.ServiceProvider.GetRequiredService<TicketFiles>()
                .FilesDueByAsync(new Actor(seller), [noFile.Id, withFile.Id, unsold.Id, someoneElses.Id]);
        }

        Assert.Equal(noFile.Id, Assert.Single(due).Key);
        Assert.Equal(expected, due[noFile.Id]);
        var read = Assert.Single(commands.Commands);
        var plan = await read.PlanAsync(app.DatabasePath);
        var because = $"{string.Join(" | ", plan)}\n{read.Sql}";
        Assert.True(plan.Any(step => step.StartsWith("SEARCH ", StringComparison.Ordinal) && step.Contains("USING INDEX IX_orders_TicketId", StringComparison.Ordinal)), because);
        Assert.False(plan.Any(step => step.StartsWith("SCAN ", StringComparison.Ordinal) && !step.Contains("json_each", StringComparison.Ordinal)), because);
    }
}
