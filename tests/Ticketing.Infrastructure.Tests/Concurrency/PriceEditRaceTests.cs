using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Common;
using Ticketing.Domain.Tickets;
using Ticketing.Domain.Tickets.Rules;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;
using Xunit.Abstractions;

namespace Ticketing.Infrastructure.Tests.Concurrency;

/// <summary>The seller changes the price while a buyer reserves the ticket.</summary>
public sealed class PriceEditRaceTests(ITestOutputHelper output)
{
    private const int Rounds = 20;
    private const decimal ListedPrice = 20m;
    private const decimal EditedPrice = 35.5m;
    private const string Title = "Jazz night";

    [Fact]
    public async Task PriceEdit_RacingAReservation_ExactlyOneWinsAndTheLoserGetsItsDomainError()
    {
        var reads = new TicketReadCounter();
        await using var app = new TicketingApp();
        var services = reads.Attach(app).Services;
        var seller = Guid.NewGuid();
        var wins = new Dictionary<string, int> { ["edit"] = 0, ["reservation"] = 0 };

        for (var round = 0; round < Rounds; round++)
        {
            var ticket = await services.ListTicketAsync(seller, ListedPrice, Title);
            var buyer = Guid.NewGuid();

            Task<Outcome<object>[]> race;
            using (SqliteWriteLock.Take(app.DatabasePath))
            {
                race = Race.RunAsync<object>(
                [
                    async () => await services.EditPriceAsync(seller, ticket.Id, Title, EditedPrice),
                    async () => await services.ReserveAsync(buyer, ticket.Id),
                ]);

                // Both read version 0 of the ticket, then queue for the write lock.
                await reads.WaitForRacersAsync(ticket.Id, 2);
            }

            var outcomes = await race;
            var (edit, reservation) = (outcomes[0], outcomes[1]);
            Assert.True(edit.Succeeded ^ reservation.Succeeded, $"Round {round}: expected exactly one winner, got edit={Describe(edit)}, reservation={Describe(reservation)}");

            var stored = await services.ReadTicketAsync(ticket.Id);
            await using var db = services.OpenDb();
            var orders = await db.Orders.AsNoTracking().Where(o => o.TicketId == ticket.Id).ToListAsync();
            Assert.Equal(1, stored.Version);
            if (edit.Succeeded)
            {
                wins["edit"]++;
                AssertReservationLost(reservation.Error!);
                Assert.Equal((TicketStatus.Available, EditedPrice), (stored.Status, stored.Price));
                Assert.Empty(orders);
            }
            else
            {
                wins["reservation"]++;
                AssertEditLost(edit.Error!);
                Assert.Equal((TicketStatus.Reserved, ListedPrice), (stored.Status, stored.Price));
                var order = Assert.Single(orders);
                Assert.Equal(ListedPrice, order.Price);
                Assert.Equal(order.Id, stored.OrderId);
            }
        }

        output.WriteLine($"edit won {wins["edit"]} times, reservation won {wins["reservation"]} times");
    }

    private static void AssertReservationLost(Exception error)
    {
        switch (error)
        {
            case BusinessRuleViolationException { Rule: TicketMustNotChangeWhileReservingRule } changed:
                Assert.Equal("The ticket was changed by its seller just now; review it and try again", changed.Message);
                return;
            case BusinessRuleViolationException { Rule: TicketMustBeAvailableRule } violation:
                Assert.Equal("Ticket is already reserved", violation.Message);
                return;
            default:
                Assert.Fail($"The reservation lost with {error.GetType().Name}: {error.Message}");
                return;
        }
    }

    private static void AssertEditLost(Exception error)
    {
        switch (error)
        {
            case ConcurrencyConflictException:
                return;
            case BusinessRuleViolationException { Rule: TicketMustNotBeLockedRule } violation:
                Assert.Equal("Cannot edit a reserved ticket", violation.Message);
                return;
            default:
                Assert.Fail($"The edit lost with {error.GetType().Name}: {error.Message}");
                return;
        }
    }

    private static string Describe(Outcome<object> outcome) =>
        outcome.Succeeded ? "won" : $"{outcome.Error!.GetType().Name} ({outcome.Error.Message})";
}
