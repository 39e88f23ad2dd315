using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Common;
using Ticketing.Domain.Tickets;
using Ticketing.Domain.Tickets.Rules;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

using static Ticketing.Infrastructure.Tests.Support.GroupCommitQueue;

namespace Ticketing.Infrastructure.Tests.Persistence;

/// <summary>
/// A reservation its request prepared (<see cref="PreparedWrite"/>) writes, column for column, what
/// the writer's own save writes, and loses its races as that save does.
/// </summary>
public sealed class PreparedReservationTests
{
    [Fact]
    public async Task APreparedReservation_WritesTheRowsTheWritersSaveWrites()
    {
        var statements = new CommandRecorder();
        await using var app = new TicketingApp();
        var services = WithInterceptors(app, statements);
        var (seller, buyer) = (Guid.NewGuid(), Guid.NewGuid());
        var first = await services.ListTicketAsync(seller, 40m, "Quartet");
        var second = await services.ListTicketAsync(seller, 40m, "Quartet");

        // The buyer's first two reservations, in one batch: both prepared, each claiming the buyer's
        // gate row. The first to run makes it; the other's claim finds it made, so the writer counts
        // that one's live orders again and saves it through EF Core, whose inserts read back.
        var orders = await InOneBatchAsync(app, services, () => services.ReserveAsync(buyer, first.Id), () => services.ReserveAsync(buyer, second.Id));
        var gateClaims = statements.NonQueriesStarting("INSERT INTO \"buyer_reservation_gates\"");
        Assert.Equal(2, gateClaims.Count);
        Assert.All(gateClaims, c => Assert.EndsWith("ON CONFLICT DO NOTHING", c.Sql, StringComparison.Ordinal));
        Assert.Equal(new int?[] { 1, 0 }, gateClaims.Select(c => c.Rows));
        var preparedInsert = Assert.Single(statements.NonQueriesStarting("INSERT INTO \"orders\""));
        var prepared = Assert.Single(orders, o => preparedInsert.HasValue(o.Id));
        var saved = Assert.Single(orders, o => o != prepared);
        var (preparedTicket, savedTicket) = prepared.Ticket.Id == first.Id ? (first, second) : (second, first);

        await using var db = services.OpenDb();
        Assert.Equal(1, await db.Set<BuyerReservationGate>().AsNoTracking().CountAsync(g => g.BuyerId == buyer));
        string[] own = ["Id", "TicketId", "CreatedAt", "UpdatedAt", "ExpiresAt", "RowVersion"];
        Assert.Equal(
            Without(await RowAsync(db, "orders", "Id", saved.Id), own),
            Without(await RowAsync(db, "orders", "Id", prepared.Id), own));
        Assert.Equal(
            Without(await RowAsync(db, "tickets", "Id", savedTicket.Id), [.. own, "OrderId", "ReservedUntil"]),
            Without(await RowAsync(db, "tickets", "Id", preparedTicket.Id), [.. own, "OrderId", "ReservedUntil"]));
        Assert.Equal(saved.ExpiresAt - (await services.ReadOrderAsync(saved.Id)).CreatedAt, prepared.ExpiresAt - (await services.ReadOrderAsync(prepared.Id)).CreatedAt);

        // The same events, in the same order, with the same members, and the same audit steps.
        Assert.Equal(await EventsAsync(db, saved.Id, savedTicket.Id), await EventsAsync(db, prepared.Id, preparedTicket.Id));
        Assert.Equal(await StepsAsync(db, saved.Id), await StepsAsync(db, prepared.Id));
        Assert.NotEmpty(await StepsAsync(db, prepared.Id));
    }

    [Fact]
    public async Task ABuyersFirstReservation_IsPrepared_ClaimingTheirGateRow()
    {
        var statements = new CommandRecorder();
        await using var app = new TicketingApp();
        var services = WithInterceptors(app, statements);
        var (seller, buyer) = (Guid.NewGuid(), Guid.NewGuid());
        var ticket = await services.ListTicketAsync(seller);
        statements.Clear();

        var order = await services.ReserveAsync(buyer, ticket.Id);

        // Written by the writer as plain statements (EF Core's own inserts read back): the gate's
        // claim and the order.
        var claim = Assert.Single(statements.NonQueriesStarting("INSERT INTO \"buyer_reservation_gates\""));
        Assert.EndsWith("ON CONFLICT DO NOTHING", claim.Sql, StringComparison.Ordinal);
        Assert.Equal(1, claim.Rows);
        Assert.True(claim.HasValue(buyer));
        var insert = Assert.Single(statements.NonQueriesStarting("INSERT INTO \"orders\""));
        Assert.True(insert.HasValue(order.Id));

        await using var db = services.OpenDb();
        Assert.Equal(1, await db.Set<BuyerReservationGate>().AsNoTracking().CountAsync(g => g.BuyerId == buyer));
        Assert.Equal(TicketStatus.Reserved, (await services.ReadTicketAsync(ticket.Id)).Status);
    }

    [Fact]
    public async Task TwoPreparedReservationsOfOneTicket_InOneBatch_OneWins_AndTheLosersGateIsLeftAsItWas()
    {
        await using var app = new TicketingApp();
        var services = app.Services;
        var seller = Guid.NewGuid();
        var (alice, bob) = (Guid.NewGuid(), Guid.NewGuid());
        var warmUp = await services.ListTicketAsync(seller);
        var contested = await services.ListTicketAsync(seller);

        // Both have a gate (their first reservations, cancelled): both reservations are prepared.
        foreach (var buyer in new[] { alice, bob })
        {
            var ticket = buyer == alice ? warmUp : await services.ListTicketAsync(seller);
            await services.CancelAsync(buyer, (await services.ReserveAsync(buyer, ticket.Id)).Id);
        }

        var stamps = await GateStampsAsync(services, alice, bob);
        Task<Outcome<OrderView>[]> race;
        using (SqliteWriteLock.Take(app.DatabasePath))
        {
            await BatchWaitingForTheLockAsync(services);
            race = Race.RunAsync<OrderView>([() => services.ReserveAsync(alice, contested.Id), () => services.ReserveAsync(bob, contested.Id)]);
            await QueuedAsync(services, 2);
        }

        var outcomes = await race;
        var won = Assert.Single(outcomes, o => o.Succeeded);
        var lost = Assert.IsType<BusinessRuleViolationException>(Assert.Single(outcomes, o => !o.Succeeded).Error);
        Assert.IsType<TicketMustBeAvailableRule>(lost.Rule);
        Assert.Equal("Ticket is already reserved", lost.Message);

        // The winner's gate moved on; the loser's is as it was: whatever of its write had run when
        // its ticket's statement found the row taken was rolled back.
        var winner = won.Value!.UserId;
        var loser = winner == alice ? bob : alice;
        var after = await GateStampsAsync(services, alice, bob);
        Assert.NotEqual(stamps[winner], after[winner]);
        Assert.Equal(stamps[loser], after[loser]);
        await using var db = services.OpenDb();
        Assert.Equal(1, await db.Orders.AsNoTracking().CountAsync(o => o.TicketId == contested.Id));
    }

    [Fact]
    public async Task PreparedReservationsInOneBatch_RunEachStatementOnOneKeptCommand()
    {
        var statements = new CommandRecorder();
        await using var app = new TicketingApp();
        var services = WithInterceptors(app, statements);
        var seller = Guid.NewGuid();
        var (alice, bob) = (Guid.NewGuid(), Guid.NewGuid());
        foreach (var buyer in new[] { alice, bob })
        {
            // A first reservation each, so that the next ones are prepared.
            await services.ReserveAsync(buyer, (await services.ListTicketAsync(seller)).Id);
        }

        var (one, two) = (await services.ListTicketAsync(seller), await services.ListTicketAsync(seller));
        statements.Clear();
        var orders = await InOneBatchAsync(app, services, () => services.ReserveAsync(alice, one.Id), () => services.ReserveAsync(bob, two.Id));
        Assert.Equal(new[] { one.Id, two.Id }.Order(), orders.Select(o => o.Ticket.Id).Order());

        // Compiled once for the batch: both orders' inserts, and both tickets' locks, ran on one command each.
        var inserts = statements.NonQueriesStarting("INSERT INTO \"orders\"");
        var locks = statements.NonQueriesStarting("UPDATE \"tickets\"");
        Assert.Equal(2, inserts.Count);
        Assert.Equal(2, locks.Count);
        Assert.Same(inserts[0].Command, inserts[1].Command);
        Assert.Same(locks[0].Command, locks[1].Command);
    }

    private static async Task<Dictionary<Guid, Guid>> GateStampsAsync(IServiceProvider services, params Guid[] buyers)
    {
        await using var db = services.OpenDb();
        return await db.Set<BuyerReservationGate>().AsNoTracking().Where(g => buyers.Contains(g.BuyerId)).ToDictionaryAsync(g => g.BuyerId, g => g.Stamp);
    }

    private static async Task<Dictionary<string, object?>> RowAsync(TicketingDbContext db, string table, string key, Guid id)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\" WHERE \"{key}\" = @id";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@id";
        parameter.Value = id.ToString().ToUpperInvariant();
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"No row {id} in {table}.");
        return Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i));
    }

    private static List<KeyValuePair<string, object?>> Without(Dictionary<string, object?> row, string[] columns) =>
        [.. row.Where(c => !columns.Contains(c.Key)).OrderBy(c => c.Key, StringComparer.Ordinal)];

    /// <summary>Type, version and member names of the order's and the ticket's events since the reservation.</summary>
    private static async Task<List<string>> EventsAsync(TicketingDbContext db, Guid orderId, Guid ticketId)
    {
        var messages = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.AggregateId == orderId || (m.AggregateId == ticketId && m.AggregateVersion > 0))
            .OrderBy(m => m.Id)
            .ToListAsync();
        return messages.ConvertAll(m =>
        {
            using var payload = System.Text.Json.JsonDocument.Parse(m.Payload);
            var members = string.Join(",", payload.RootElement.EnumerateObject().Select(p => p.Name));
            return $"{m.Type}:{m.AggregateVersion}:{members}";
        });
    }

    private static async Task<List<string>> StepsAsync(TicketingDbContext db, Guid orderId)
    {
        var steps = await db.Set<Ticketing.Infrastructure.Audit.AuditEntry>().AsNoTracking()
            .Where(e => e.OrderId == orderId)
            .OrderBy(e => e.Id)
            .ToListAsync();
        return steps.ConvertAll(e => $"{e.EventType}:{e.Step}:{e.Actor}:{e.ActorUserId}:{e.Version}");
    }
}
