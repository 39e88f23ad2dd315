using Microsoft.EntityFrameworkCore;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Persistence;

/// <summary>The app's SQLite connections wait for the write lock inside SQLite, not in 150 ms naps.</summary>
public sealed class SqliteConnectionSetupTests
{
    [Fact]
    public async Task EveryContextTheAppOpens_HasSqlitesBusyTimeoutSet()
    {
        await using var app = new TicketingApp();
        await using var db = app.Services.OpenDb();
        await db.Database.OpenConnectionAsync();

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA busy_timeout;";
        var timeout = Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(30_000, timeout);
    }
}
