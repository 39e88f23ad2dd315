using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>Lets <c>dotnet ef</c> build each provider's context without starting the web host.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteTicketingDbContext>
{
    public SqliteTicketingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteTicketingDbContext>().UseSqlite("Data Source=design.db").Options);
}

public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerTicketingDbContext>
{
    public SqlServerTicketingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerTicketingDbContext>()
            .UseSqlServer("Server=localhost;Database=Ticketing;Trusted_Connection=True;TrustServerCertificate=True").Options);
}
