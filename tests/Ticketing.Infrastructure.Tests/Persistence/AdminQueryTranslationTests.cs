using Microsoft.EntityFrameworkCore;
using Ticketing.Infrastructure.Admin;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tests.Support;

namespace Ticketing.Infrastructure.Tests.Persistence;

/// <summary>
/// The admin grids' queries on SQL Server, where no server runs here: every sort and search must
/// translate to one SQL statement (paged with OFFSET/FETCH, searched with an escaped LIKE), as they
/// do on SQLite, where the grid tests run them.
/// </summary>
public sealed class AdminQueryTranslationTests
{
    // Never opened: translating a query needs no server.
    private const string SqlServerConnection = "Server=unreachable.invalid;Database=Ticketing;User Id=sa;Password=unused;TrustServerCertificate=True";

    public static TheoryData<string, int, string?> Queries()
    {
        var data = new TheoryData<string, int, string?>();
        foreach (var search in new[] { null, "100%_[x]", Guid.NewGuid().ToString(), "cancel" })
        {
            foreach (var sort in Enum.GetValues<AdminListingSort>())
            {
                data.Add("listings", (int)sort, search);
            }

            foreach (var sort in Enum.GetValues<AdminOrderSort>())
            {
                data.Add("orders", (int)sort, search);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void AdminPageQueries_TranslateToOneStatementOnBothProviders(string grid, int sort, string? search)
    {
        using var sqlServer = new SqlServerTicketingDbContext(
            new DbContextOptionsBuilder<SqlServerTicketingDbContext>().UseSqlServer(SqlServerConnection).Options);
        using var sqlite = TestDatabase.Open(":memory:");

        foreach (TicketingDbContext db in new TicketingDbContext[] { sqlServer, sqlite })
        {
            var (matching, page) = grid == "listings"
                ? Strings(AdminDashboard.ListingQueries(db, new AdminQuery<AdminListingSort>(3, 25, (AdminListingSort)sort, Descending: sort % 2 == 0, search)))
                : Strings(AdminDashboard.OrderQueries(db, new AdminQuery<AdminOrderSort>(3, 25, (AdminOrderSort)sort, Descending: sort % 2 == 0, search)));

            Assert.Contains("ORDER BY", page, StringComparison.Ordinal);
            Assert.Contains(db is SqlServerTicketingDbContext ? "FETCH NEXT" : "LIMIT", page, StringComparison.Ordinal);
            if (search is not null)
            {
                Assert.Contains("ESCAPE", matching, StringComparison.Ordinal);
            }
        }
    }

    private static (string Matching, string Page) Strings<TMatching, TPage>((IQueryable<TMatching> Matching, IQueryable<TPage> Page) queries) =>
        (queries.Matching.ToQueryString(), queries.Page.ToQueryString());
}
