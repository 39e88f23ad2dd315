using Microsoft.Data.Sqlite;

namespace Ticketing.Testing;

/// <summary>
/// Looks through every column of every table of a SQLite database, whatever the model says, for
/// values that contain a piece of text (ignoring case): tables added later are searched too.
/// </summary>
public static class DatabaseScan
{
    public sealed record Mention(string Table, string Column, string Needle, int Rows);

    public static async Task<IReadOnlyList<Mention>> FindAsync(string databasePath, params string[] needles)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var mentions = new List<Mention>();
        foreach (var table in await ListAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
        {
            foreach (var column in await ListAsync(connection, $"SELECT name FROM pragma_table_info('{table.Replace("'", "''", StringComparison.Ordinal)}')"))
            {
                foreach (var needle in needles)
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = $"SELECT COUNT(*) FROM \"{table}\" WHERE instr(lower(CAST(\"{column}\" AS TEXT)), lower($needle)) > 0";
                    command.Parameters.AddWithValue("$needle", needle);
                    var rows = Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
                    if (rows > 0)
                    {
                        mentions.Add(new Mention(table, column, needle, rows));
                    }
                }
            }
        }

        return mentions;
    }

    /// <summary>The names of every table, for checking that a scan covered what it should.</summary>
    public static async Task<IReadOnlyList<string>> TablesAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        return await ListAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    }

    private static async Task<List<string>> ListAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
