using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Common;
using Ticketing.Domain.Delivery;
using Ticketing.Domain.Tickets;
using Ticketing.Domain.Tickets.Rules;
using Ticketing.Infrastructure.Delivery;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Testing;
using Xunit.Abstractions;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Infrastructure.Tests.Concurrency;

/// <summary>
/// The seller replaces or removes the ticket file while a buyer reserves the ticket: the buyer must
/// receive the file the listing had when the reservation was made, so exactly one of the two wins.
/// </summary>
public sealed class TicketFileRaceTests(ITestOutputHelper output)
{
    private const int Rounds = 15;

    [Fact]
    public async Task FileReplacement_RacingAReservation_ExactlyOneWins_AndTheBuyerGetsTheFileTheyReserved()
    {
        var reads = new TicketReadCounter();
        await using var app = new TicketingApp();
        var services = reads.Attach(app).Services;
        var seller = Guid.NewGuid();
        var original = SampleTicketFiles.Pdf("Admit one: the original");
        var replacement = SampleTicketFiles.Pdf("Admit one: a replacement");
        var wins = new Dictionary<string, int> { ["replacement"] = 0, ["reservation"] = 0 };

        for (var round = 0; round < Rounds; round++)
        {
            var ticket = await services.ListTicketAsync(seller, 40m, "Cup final");
            await AttachAsync(services, seller, ticket.Id, original);

            Task<Outcome<object>[]> race;
            using (SqliteWriteLock.Take(app.DatabasePath))
            {
                race = Race.RunAsync<object>(
                [
                    async () => await AttachAsync(services, seller, ticket.Id, replacement),
                    async () => await services.ReserveAsync(Guid.NewGuid(), ticket.Id),
                ]);

                // Both read the available ticket, then queue for the write lock.
                await reads.WaitForRacersAsync(ticket.Id, 2);
            }

            var (replace, reserve) = ((await race)[0], (await race)[1]);
            Assert.True(replace.Succeeded ^ reserve.Succeeded, $"Round {round}: replace={Describe(replace)}, reservation={Describe(reserve)}");

            var stored = await services.ReadTicketAsync(ticket.Id);
            var file = await ReadFileAsync(services, ticket.Id);
            if (replace.Succeeded)
            {
                wins["replacement"]++;
                Assert.Equal(TicketStatus.Available, stored.Status);
                Assert.Equal(Sha256(replacement), file.Sha256);
                var lost = Assert.IsType<BusinessRuleViolationException>(reserve.Error);
                Assert.IsType<TicketMustNotChangeWhileReservingRule>(lost.Rule);
            }
            else
            {
                wins["reservation"]++;
                Assert.Equal(TicketStatus.Reserved, stored.Status);
                Assert.Equal(Sha256(original), file.Sha256);
                var lost = Assert.IsType<BusinessRuleViolationException>(replace.Error);
                Assert.IsType<TicketFileMayChangeRule>(lost.Rule);
                Assert.Equal("A buyer has reserved this ticket: its file can no longer be replaced or removed", lost.Message);
            }
        }

        output.WriteLine($"replacement won {wins["replacement"]} times, reservation won {wins["reservation"]} times");
    }

    [Fact]
    public async Task AttachingOrReplacingAFile_IsAChangeOfTheListing_WithItsVersionAndEvent()
    {
        await using var app = new TicketingApp();
        var seller = Guid.NewGuid();
        var ticket = await app.Services.ListTicketAsync(seller, 40m, "Cup final");

        await AttachAsync(app.Services, seller, ticket.Id, SampleTicketFiles.Pdf("first"));
        await AttachAsync(app.Services, seller, ticket.Id, SampleTicketFiles.Pdf("second"));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TicketFiles>().RemoveAsync(new Actor(seller), ticket.Id);
        }

        Assert.Equal(3, (await app.Services.ReadTicketAsync(ticket.Id)).Version);
        var events = await app.Services.ReadOutboxAsync(ticket.Id);
        Assert.Equal(["TicketCreated", "TicketUpdated", "TicketUpdated", "TicketUpdated"], events.Select(e => e.Type).ToArray());
    }

    [Fact]
    public async Task ASoldTicketWithoutAFile_StillTakesOne_WithoutChangingTheTicket()
    {
        await using var app = new TicketingApp();
        var seller = Guid.NewGuid();
        var buyer = Guid.NewGuid();
        var ticket = await app.Services.ListTicketAsync(seller, 40m, "Cup final");
        var order = await app.Services.ReserveAsync(buyer, ticket.Id);
        await app.Services.PayAsync(buyer, order.Id, "tok_visa");
        var sold = await app.Services.ReadTicketAsync(ticket.Id);

        await AttachAsync(app.Services, seller, ticket.Id, SampleTicketFiles.Pdf("sent after the sale"));

        var after = await app.Services.ReadTicketAsync(ticket.Id);
        Assert.Equal((TicketStatus.Sold, sold.Version), (after.Status, after.Version));
        Assert.NotNull(await ReadFileAsync(app.Services, ticket.Id));
    }

    private static async Task<TicketFileView> AttachAsync(IServiceProvider services, Guid seller, Guid ticketId, byte[] content)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TicketFiles>().AttachAsync(new Actor(seller), ticketId, "ticket.pdf", content);
    }

    private static async Task<TicketFile> ReadFileAsync(IServiceProvider services, Guid ticketId)
    {
        await using var db = services.OpenDb();
        return await db.Set<TicketFile>().AsNoTracking().SingleAsync(f => f.TicketId == ticketId);
    }

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static string Describe(Outcome<object> outcome) =>
        outcome.Succeeded ? "won" : $"{outcome.Error!.GetType().Name} ({outcome.Error.Message})";
}
