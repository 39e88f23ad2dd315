using Microsoft.EntityFrameworkCore;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>A plain context on a database file while no app runs on it: for arranging and reading rows.</summary>
internal static class TestDatabase
{
    /// <summary>No event pipeline: writes made here are raw rows, exactly as a crashed process left them.</summary>
    public static SqliteTicketingDbContext Open(string databasePath) =>
        new(new DbContextOptionsBuilder<SqliteTicketingDbContext>().UseSqlite($"Data Source={databasePath}").Options);
}
