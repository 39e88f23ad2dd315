using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace Ticketing.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    /// <summary>
    /// <c>Database:Provider</c> (Sqlite by default) and <c>ConnectionStrings:Ticketing</c>; without a
    /// connection string, a SQLite file in the app's data folder.
    /// </summary>
    public static DatabaseSettings From(IConfiguration configuration, string contentRoot)
    {
        var provider = configuration.GetChoice("Database:Provider", DatabaseProvider.Sqlite);
        var connectionString = configuration.GetConnectionString("Ticketing");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider == DatabaseProvider.SqlServer)
            {
                throw new InvalidSettingException("ConnectionStrings:Ticketing is required with Database:Provider=SqlServer.");
            }

            var dataFolder = Path.Combine(contentRoot, "App_Data");
            Directory.CreateDirectory(dataFolder);
            connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataFolder, "ticketing.db") }.ToString();
        }
        else if (provider == DatabaseProvider.Sqlite)
        {
            var builder = new SqliteConnectionStringBuilder(connectionString);
            if (Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } folder)
            {
                Directory.CreateDirectory(folder);
            }
        }

        return new DatabaseSettings(provider, connectionString);
    }
}
