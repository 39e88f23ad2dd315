using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Persistence;

/// <summary>
/// The app's SQLite connections compare LIKE ignoring the case of every letter, and otherwise as
/// SQLite's own LIKE does: the same answer for 20,000 random ASCII values and patterns.
/// </summary>
public sealed class SqliteUnicodeLikeTests
{
    [Theory]
    [InlineData("Überraschung Ωmega", "%überraschung%", true)]
    [InlineData("Überraschung Ωmega", "%ΩMEGA%", true)]
    [InlineData("Città", "%CITTÀ%", true)]
    [InlineData("STRASSE", "%straße%", false)]
    [InlineData("Œuvre", "œ_vre", true)]
    [InlineData("Émile 😀 Zola", "%😀_z%", true)]
    [InlineData("Ballet", "%zebra%", false)]
    [InlineData("100% pure", "%100\\%%", true)]
    [InlineData("100 pure", "%100\\%%", false)]
    [InlineData("a_b", "a\\_b", true)]
    [InlineData("axb", "a\\_b", false)]
    public async Task EveryConnectionOfTheApp_ComparesLikeIgnoringTheCaseOfEveryLetter(string value, string pattern, bool matches)
    {
        await using var app = new TicketingApp();
        await using var db = app.Services.OpenDb();

        var found = await db.Database.SqlQueryRaw<int>("SELECT CASE WHEN {0} LIKE {1} ESCAPE '\\' THEN 1 ELSE 0 END AS Value", value, pattern).SingleAsync();

        Assert.Equal(matches ? 1 : 0, found);
        Assert.Equal(matches, SqliteUnicodeLike.Like(value, pattern, "\\"));
    }

    [Fact]
    public void OnAsciiText_ItAnswersAsSqlitesOwnLike()
    {
        using var sqlite = new SqliteConnection("Data Source=:memory:");
        sqlite.Open();
        using var command = sqlite.CreateCommand();
        command.CommandText = "SELECT $value LIKE $pattern ESCAPE '!', $value LIKE $pattern";
        var value = command.Parameters.Add("$value", SqliteType.Text);
        var pattern = command.Parameters.Add("$pattern", SqliteType.Text);
        var random = new Random(20261207);
        const string Letters = "aAbB!%_ ";
        string Draw(int max) => new(Enumerable.Range(0, random.Next(max + 1)).Select(_ => Letters[random.Next(Letters.Length)]).ToArray());

        var disagreements = new List<string>();
        for (var i = 0; i < 20_000; i++)
        {
            value.Value = Draw(8);
            pattern.Value = Draw(6);
            using var reader = command.ExecuteReader();
            reader.Read();
            var withEscape = reader.GetBoolean(0);
            var plain = reader.GetBoolean(1);
            if (SqliteUnicodeLike.Like((string)value.Value, (string)pattern.Value, "!") != withEscape
                || SqliteUnicodeLike.Like((string)value.Value, (string)pattern.Value, escape: null) != plain)
            {
                disagreements.Add($"'{value.Value}' LIKE '{pattern.Value}': SQLite {withEscape}/{plain}");
            }
        }

        Assert.Empty(disagreements);
    }

    /// <summary>
    /// The function lives on the pooled native connection: a plain connection handed the same one
    /// afterwards still has a working LIKE (a function registered through SqliteConnection is
    /// removed on its way back to the pool, which left LIKE failing on "wrong number of arguments").
    /// </summary>
    [Fact]
    public async Task APooledConnectionReusedOutsideTheApp_StillHasAWorkingLike()
    {
        await using var app = new TicketingApp();
        string connectionString;
        await using (var db = app.Services.OpenDb())
        {
            Assert.Equal(1, await db.Database.SqlQueryRaw<int>("SELECT CASE WHEN 'Ärzte' LIKE '%ärz%' THEN 1 ELSE 0 END AS Value").SingleAsync());
            connectionString = db.Database.GetConnectionString()!;
        }

        for (var i = 0; i < 3; i++)
        {
            await using var plain = new SqliteConnection(connectionString);
            await plain.OpenAsync();
            await using var command = plain.CreateCommand();
            command.CommandText = "SELECT 'Ärzte' LIKE '%ärz%', 'abc' LIKE 'A_C' ESCAPE '!'";
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.True(reader.GetBoolean(1));
        }
    }

    [Fact]
    public void Null_OnEitherSide_IsNull()
    {
        Assert.Null(SqliteUnicodeLike.Like(null, "%a%", null));
        Assert.Null(SqliteUnicodeLike.Like("a", null, "\\"));
    }
}
