using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Payments;

/// <summary>The payment attempts and the books, migrated onto a database that already holds orders and payments.</summary>
public sealed class PaymentSchemaMigrationTests
{
    private const string BeforePaymentAttempts = "20261123235319_InitialCreate";

    [Fact]
    public async Task Migrating_KeepsAnOrderAwaitingTheProvider_AndEveryPayment()
    {
        var path = TicketingApp.NewDatabasePath();
        try
        {
            await using var db = TestDatabase.Open(path);
            await db.GetService<IMigrator>().MigrateAsync(BeforePaymentAttempts);
            var now = DateTimeOffset.UtcNow.UtcTicks;
            await db.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO "orders" ("Id", "BuyerId", "TicketId", "TicketTitle", "Price", "Status", "CreatedAt", "ExpiresAt", "PaymentReference", "UpdatedAt", "RowVersion", "Version")
                VALUES ({0}, {1}, {2}, 'Concert', 2500, 'AwaitingPayment', {3}, {4}, 'pi_3ds', {3}, X'01', 1),
                       ({5}, {1}, {2}, 'Concert', 2500, 'Complete', {3}, {4}, NULL, {3}, X'02', 1);
                INSERT INTO "payments" ("Id", "OrderId", "AmountMinor", "Currency", "ProviderReference", "Status", "RefundReference", "CreatedAt", "Version")
                VALUES ({6}, {5}, 2500, 'usd', 'pi_paid', 'Succeeded', NULL, {3}, 0);
                """,
                Upper(Guid.NewGuid()), Upper(Guid.NewGuid()), Upper(Guid.NewGuid()), now, now + TimeSpan.TicksPerMinute * 15, Upper(Guid.NewGuid()), Upper(Guid.NewGuid()));

            await db.Database.MigrateAsync();

            var awaiting = await db.Orders.AsNoTracking().SingleAsync(o => o.Status == OrderStatus.AwaitingPayment);
            Assert.Equal((PaymentAttemptState.AwaitingConfirmation, "pi_3ds", false), (awaiting.PaymentAttempt, awaiting.PaymentReference, awaiting.IsCharging));
            Assert.Equal(PaymentAttemptState.None, (await db.Orders.AsNoTracking().SingleAsync(o => o.Status == OrderStatus.Complete)).PaymentAttempt);
            var payment = await db.Payments.AsNoTracking().SingleAsync();
            Assert.Equal((PaymentStatus.Succeeded, 0L, (RefundReason?)null, (string?)null), (payment.Status, payment.RefundedMinor, payment.RefundReason, payment.DisputeReference));
        }
        finally
        {
            TicketingApp.DeleteDatabase(path);
        }
    }

    [Fact]
    public async Task SqliteMigrations_GivePaymentsAnEmulatedTokenColumn()
    {
        var path = TicketingApp.NewDatabasePath();
        try
        {
            await using var db = TestDatabase.Open(path);
            await db.Database.MigrateAsync();

            var type = await db.Database.SqlQuery<string>($"SELECT type AS Value FROM pragma_table_info('payments') WHERE name = 'RowVersion'").SingleAsync();

            Assert.Equal("BLOB", type);
        }
        finally
        {
            TicketingApp.DeleteDatabase(path);
        }
    }

    [Fact]
    public void SqlServerScript_GivesPaymentsARowversion_AndPaysEachOrderOnceByAFilteredIndex()
    {
        using var db = new SqlServerTicketingDbContext(new DbContextOptionsBuilder<SqlServerTicketingDbContext>()
            .UseSqlServer("Server=unreachable.invalid;Database=Ticketing;User Id=sa;Password=unused;TrustServerCertificate=True").Options);

        var script = db.GetService<IMigrator>().GenerateScript();

        Assert.Contains("ALTER TABLE [payments] ADD [RowVersion] rowversion NULL;", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX [IX_payments_OrderId_Succeeded] ON [payments] ([OrderId]) WHERE \"Status\" = 'Succeeded';", script, StringComparison.Ordinal);
    }

    /// <summary>How EF writes a Guid into a SQLite TEXT column.</summary>
    private static string Upper(Guid id) => id.ToString().ToUpperInvariant();
}
