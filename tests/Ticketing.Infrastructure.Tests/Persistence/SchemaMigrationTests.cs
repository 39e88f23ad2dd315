using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Persistence;

/// <summary>Both providers' migration sets: what they create, and that they match the model.</summary>
public sealed partial class SchemaMigrationTests
{
    // Never opened: generating a script and diffing the model need no server.
    private const string SqlServerConnection = "Server=unreachable.invalid;Database=Ticketing;User Id=sa;Password=unused;TrustServerCertificate=True";

    [Theory]
    [InlineData("tickets")]
    [InlineData("orders")]
    public void SqlServerScript_CreatesTheRaceTablesWithARowversionColumn(string table)
    {
        using var db = SqlServerContext();

        // What `dotnet ef migrations script` writes for the SQL Server set.
        var script = db.GetService<IMigrator>().GenerateScript();

        var columns = CreateTableColumns(script, table);
        Assert.Contains(columns, c => Regex.IsMatch(c, @"^\[RowVersion\]\s+rowversion\b", RegexOptions.IgnoreCase));
    }

    [Fact]
    public void SqlServerScript_KeepsRowversionOffTheOtherTables()
    {
        using var db = SqlServerContext();
        var script = db.GetService<IMigrator>().GenerateScript();

        var withRowversion = CreateTableBlock().Matches(script)
            .Where(m => m.Groups["body"].Value.Contains("rowversion", StringComparison.OrdinalIgnoreCase))
            .Select(m => m.Groups["table"].Value)
            .Order();

        Assert.Equal(["orders", "tickets"], withRowversion);
    }

    [Fact]
    public async Task SqliteMigrations_OnAFreshFile_ApplyCleanlyWithAnEmulatedTokenColumn()
    {
        var path = TicketingApp.NewDatabasePath();
        try
        {
            await using var db = TestDatabase.Open(path);

            await db.Database.MigrateAsync();

            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
            foreach (var table in new[] { "tickets", "orders" })
            {
                var rowVersion = await db.Database
                    .SqlQuery<ColumnInfo>($"SELECT type AS ColumnType, \"notnull\" AS Required FROM pragma_table_info({table}) WHERE name = 'RowVersion'")
                    .SingleAsync();
                Assert.Equal(new ColumnInfo("BLOB", 1), rowVersion);
            }

            // Running them again is a no-op, as every start-up does.
            await db.Database.MigrateAsync();
        }
        finally
        {
            TicketingApp.DeleteDatabase(path);
        }
    }

    [Fact]
    public void SqliteModel_HasNoChangesMissingFromItsMigrations()
    {
        using var db = TestDatabase.Open(":memory:");

        Assert.False(db.Database.HasPendingModelChanges(), "The SQLite model changed without a migration (dotnet ef migrations add --context SqliteTicketingDbContext).");
    }

    [Fact]
    public void SqlServerModel_HasNoChangesMissingFromItsMigrations()
    {
        using var db = SqlServerContext();

        Assert.False(db.Database.HasPendingModelChanges(), "The SQL Server model changed without a migration (dotnet ef migrations add --context SqlServerTicketingDbContext).");
    }

    private static SqlServerTicketingDbContext SqlServerContext() =>
        new(new DbContextOptionsBuilder<SqlServerTicketingDbContext>().UseSqlServer(SqlServerConnection).Options);

    /// <summary>The column definitions of one <c>CREATE TABLE [name] (...)</c> block of the script.</summary>
    private static List<string> CreateTableColumns(string script, string table)
    {
        var block = CreateTableBlock().Matches(script).SingleOrDefault(m => m.Groups["table"].Value == table);
        Assert.True(block is not null, $"The script has no CREATE TABLE [{table}].");
        return block.Groups["body"].Value
            .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.TrimEnd(','))
            .ToList();
    }

    [GeneratedRegex(@"CREATE TABLE \[(?<table>[^\]]+)\] \((?<body>.*?)\n\);", RegexOptions.Singleline)]
    private static partial Regex CreateTableBlock();

    private sealed record ColumnInfo(string ColumnType, long Required);
}
