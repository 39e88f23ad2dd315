using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Ticketing.Domain.Delivery;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Delivery;

/// <summary>Delivery's tables, migrated onto a database that already holds paid and unpaid orders.</summary>
public sealed class DeliverySchemaMigrationTests
{
    // By name: each provider's migration has its own timestamp.
    private const string BeforeDelivery = "PaymentAttemptsAndRefunds";

    [Fact]
    public async Task Migrating_GivesEveryPaidOrderAnETicket_AndNoOtherOrder()
    {
        var path = TicketingApp.NewDatabasePath();
        try
        {
            await using var db = TestDatabase.Open(path);
            await db.GetService<IMigrator>().MigrateAsync(BeforeDelivery);
            var now = DateTimeOffset.UtcNow.UtcTicks;
            var paid = new[] { Guid.NewGuid(), Guid.NewGuid() };
            await db.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO "orders" ("Id", "BuyerId", "TicketId", "TicketTitle", "Price", "Status", "CreatedAt", "ExpiresAt", "UpdatedAt", "RowVersion", "Version", "PaymentAttempt")
                VALUES ({0}, {3}, {4}, 'Concert', 2500, 'Complete', {5}, {5}, {5}, X'01', 2, 'None'),
                       ({1}, {3}, {4}, 'Concert', 2500, 'Complete', {5}, {5}, {5}, X'02', 2, 'None'),
                       ({2}, {3}, {4}, 'Concert', 2500, 'Created', {5}, {5}, {5}, X'03', 0, 'None');
                """,
                Upper(paid[0]), Upper(paid[1]), Upper(Guid.NewGuid()), Upper(Guid.NewGuid()), Upper(Guid.NewGuid()), now);

            await db.Database.MigrateAsync();

            var eTickets = await db.Set<ETicket>().AsNoTracking().ToListAsync();
            Assert.Equal(paid.Order(), eTickets.Select(e => e.OrderId).Order());
            Assert.All(eTickets, e => Assert.Matches("^[0-9a-f]{20}$", e.Serial));
            Assert.NotEqual(eTickets[0].Serial, eTickets[1].Serial);
            Assert.All(eTickets, e => Assert.Equal((now, (DateTimeOffset?)null, (DateTimeOffset?)null), (e.IssuedAt.UtcTicks, e.AdmittedAt, e.SellerSendsBy)));
        }
        finally
        {
            TicketingApp.DeleteDatabase(path);
        }
    }

    [Fact]
    public void SqlServerScript_BackfillsETicketsThroughExec_AndKeepsSerialsUnique()
    {
        using var db = new SqlServerTicketingDbContext(new DbContextOptionsBuilder<SqlServerTicketingDbContext>()
            .UseSqlServer("Server=unreachable.invalid;Database=Ticketing;User Id=sa;Password=unused;TrustServerCertificate=True").Options);

        var script = db.GetService<IMigrator>().GenerateScript(fromMigration: BeforeDelivery, options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("EXEC(N'INSERT INTO [e_tickets]", script, StringComparison.Ordinal);
        Assert.Contains("CRYPT_GEN_RANDOM(10)", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX [IX_e_tickets_Serial] ON [e_tickets] ([Serial]);", script, StringComparison.Ordinal);
    }

    private static string Upper(Guid id) => id.ToString().ToUpperInvariant();
}
