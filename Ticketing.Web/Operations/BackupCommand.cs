using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Web.Operations;

/// <summary>
/// <c>dotnet Ticketing.Web.dll --backup /app/App_Data/backups/ticketing-2026-12-06.db</c>: writes a
/// consistent copy of the live SQLite database (see <see cref="SqliteBackup"/>) with the app's own
/// settings, so that it runs inside the container next to the running app and needs no sqlite3.
/// </summary>
public static class BackupCommand
{
    public const string Switch = "--backup";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Switch;

    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, IHostEnvironment environment)
    {
        if (args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync($"usage: {Switch} /path/to/new-backup.db");
            return 2;
        }

        try
        {
            var settings = DatabaseSettings.From(configuration, environment.ContentRootPath);
            await SqliteBackup.BackUpAsync(settings, args[1]);
            Console.WriteLine($"Backed up the database to {Path.GetFullPath(args[1])}");
            return 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            await Console.Error.WriteLineAsync($"Backup failed: {ex.Message}");
            return 1;
        }
    }
}
