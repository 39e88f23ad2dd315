using Microsoft.Data.Sqlite;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Admin;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Admin;

/// <summary>
/// The admin grids' pages read from a market of thousands: every sort and search runs in SQL, pages
/// follow the database's order without gaps or repeats, each sort is an index scan, and bad paging or
/// search input is brought into range rather than failing or loading everything.
/// </summary>
public sealed class AdminGridQueryTests(AdminMarketFixture market) : IClassFixture<AdminMarketFixture>
{
    public static TheoryData<AdminListingSort, bool> ListingSorts() => Sorts<AdminListingSort>();

    public static TheoryData<AdminOrderSort, bool> OrderSorts() => Sorts<AdminOrderSort>();

    [Theory]
    [MemberData(nameof(ListingSorts))]
    public async Task Listings_InEverySortOrder_PageThroughTheWholeMarketInTheDatabaseOrder(AdminListingSort sortBy, bool descending)
    {
        var expected = SortListings(market.Listed, sortBy, descending).ToList();

        foreach (var page in new[] { 0, 1, 17, (expected.Count - 1) / 100 })
        {
            var read = await market.Dashboard.ListListingsAsync(new AdminQuery<AdminListingSort>(page, 100, sortBy, descending));

            Assert.Equal(expected.Count, read.TotalCount);
            Assert.Equal(expected.Skip(page * 100).Take(100).Select(s => s.Ticket.Id), read.Items.Select(l => l.Ticket.Id));
        }
    }

    [Fact]
    public async Task Listings_Page_CarriesTheTicketItsSellerAndWhenItWasListed()
    {
        var read = await market.Dashboard.ListListingsAsync(new AdminQuery<AdminListingSort>(0, 10, AdminListingSort.ListedAt));

        var newest = market.Listed.MaxBy(s => s.Ticket.CreatedAt)!.Ticket;
        var first = read.Items[0];
        Assert.Equal(newest.Id, first.Ticket.Id);
        Assert.Equal((newest.Title, newest.Price, newest.Venue), (first.Ticket.Title, first.Ticket.Price, first.Ticket.Venue));
        Assert.Equal(market.SellerEmail(newest.SellerId), first.SellerEmail);
        Assert.Equal(newest.CreatedAt, first.ListedAt);
        Assert.Equal(10, read.Items.Count);
    }

    [Theory]
    [InlineData("coldplay")]
    [InlineData("ROYAL albert")]
    [InlineData("Show 0042")]
    [InlineData("seller-7@")]
    [InlineData("100%_")]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("  muse  ")]
    [InlineData("no such thing")]
    public async Task Listings_Search_FindsTitleVenueOrSellerEmail_IgnoringCaseAndTakingWildcardsLiterally(string search)
    {
        var term = search.Trim();
        var expected = SortListings(market.Listed, AdminListingSort.ListedAt, descending: true)
            .Where(s => Contains(s.Ticket.Title, term) || Contains(s.Ticket.Venue, term) || Contains(market.SellerEmail(s.Ticket.SellerId), term))
            .ToList();

        var read = await market.Dashboard.ListListingsAsync(new AdminQuery<AdminListingSort>(1, 25, AdminListingSort.ListedAt, Search: search));

        Assert.Equal(expected.Count, read.TotalCount);
        Assert.Equal(expected.Skip(25).Take(25).Select(s => s.Ticket.Id), read.Items.Select(l => l.Ticket.Id));
    }

    [Fact]
    public async Task Listings_SearchForTheOldestListing_FindsOnlyIt()
    {
        var oldest = market.Listed.MinBy(s => s.Ticket.CreatedAt)!.Ticket;

        var read = await market.Dashboard.ListListingsAsync(new AdminQuery<AdminListingSort>(0, 10, AdminListingSort.ListedAt, Search: oldest.Title));

        Assert.Equal(oldest.Id, Assert.Single(read.Items).Ticket.Id);
        Assert.Equal(1, read.TotalCount);
    }

    [Theory]
    [MemberData(nameof(OrderSorts))]
    public async Task Orders_InEverySortOrder_PageThroughEveryOrderInTheDatabaseOrder(AdminOrderSort sortBy, bool descending)
    {
        var expected = SortOrders(Orders, sortBy, descending).ToList();

        foreach (var page in new[] { 0, 1, 20, (expected.Count - 1) / 100 })
        {
            var read = await market.Dashboard.ListOrdersAsync(new AdminQuery<AdminOrderSort>(page, 100, sortBy, descending));

            Assert.Equal(expected.Count, read.TotalCount);
            Assert.Equal(expected.Skip(page * 100).Take(100).Select(o => o.Id), read.Items.Select(o => o.Id));
        }
    }

    [Fact]
    public async Task Orders_Page_CarriesTheBuyerStatusAndReason()
    {
        var read = await market.Dashboard.ListOrdersAsync(new AdminQuery<AdminOrderSort>(0, 100, AdminOrderSort.PlacedAt));

        foreach (var row in read.Items)
        {
            var order = Orders.Single(o => o.Id == row.Id);
            Assert.Equal(market.BuyerEmail(order.BuyerId), row.BuyerEmail);
            Assert.Equal(order.Status.ToWire(), row.Status);
            Assert.Equal(order.Status == OrderStatus.Cancelled ? "user" : null, row.CancellationReason);
            Assert.Equal((order.TicketId, order.TicketTitle, order.Price, order.ExpiresAt), (row.TicketId, row.TicketTitle, row.Price, row.ExpiresAt));
        }
    }

    [Theory]
    [InlineData("muse")]
    [InlineData("BUYER-3@")]
    [InlineData("cancel")]
    [InlineData("complete")]
    [InlineData("awaiting")]
    [InlineData("100%")]
    public async Task Orders_Search_FindsTitleBuyerEmailOrStatus(string search)
    {
        var expected = SortOrders(Orders, AdminOrderSort.PlacedAt, descending: true)
            .Where(o => Contains(o.TicketTitle, search) || Contains(market.BuyerEmail(o.BuyerId), search) || Contains(o.Status.ToWire(), search))
            .ToList();

        var read = await market.Dashboard.ListOrdersAsync(new AdminQuery<AdminOrderSort>(0, 50, AdminOrderSort.PlacedAt, Search: search));

        Assert.Equal(expected.Count, read.TotalCount);
        Assert.Equal(expected.Take(50).Select(o => o.Id), read.Items.Select(o => o.Id));
    }

    [Fact]
    public async Task Orders_SearchByAWholeOrderOrTicketId_FindsThatOrder()
    {
        var order = Orders[1234];

        var byOrder = await market.Dashboard.ListOrdersAsync(new AdminQuery<AdminOrderSort>(0, 10, AdminOrderSort.PlacedAt, Search: order.Id.ToString()));
        var byTicket = await market.Dashboard.ListOrdersAsync(new AdminQuery<AdminOrderSort>(0, 10, AdminOrderSort.PlacedAt, Search: order.TicketId.ToString().ToUpperInvariant()));

        Assert.Equal(order.Id, Assert.Single(byOrder.Items).Id);
        Assert.Equal(order.Id, Assert.Single(byTicket.Items).Id);
    }

    [Theory]
    [InlineData(-5, 10, 0, 10)]
    [InlineData(0, 0, 0, 1)]
    [InlineData(0, -3, 0, 1)]
    [InlineData(2, 100_000, 2, 100)]
    public async Task Listings_PageAndSizeOutOfRange_AreBroughtIntoRange(int page, int pageSize, int expectedPage, int expectedSize)
    {
        var expected = SortListings(market.Listed, AdminListingSort.ListedAt, descending: true).ToList();

        var read = await market.Dashboard.ListListingsAsync(new AdminQuery<AdminListingSort>(page, pageSize, AdminListingSort.ListedAt));

        Assert.Equal(expected.Skip(expectedPage * expectedSize).Take(expectedSize).Select(s => s.Ticket.Id), read.Items.Select(l => l.Ticket.Id));
        Assert.Equal(expected.Count, read.TotalCount);
    }

    [Fact]
    public async Task PagesPastTheEnd_AreEmpty_AndReadNoRows()
    {
        using var sql = new SqlRecorder(market.App.DatabasePath);

        AdminPage<AdminListing>? listings = null;
        AdminPage<AdminOrder>? orders = null;
        var commands = await sql.RecordAsync(async () =>
        {
            listings = await market.Dashboard.ListListingsAsync(new AdminQuery<AdminListingSort>(int.MaxValue, 100, AdminListingSort.Title));
            orders = await market.Dashboard.ListOrdersAsync(new AdminQuery<AdminOrderSort>(int.MaxValue / 2, 100, AdminOrderSort.Price));
        });

        Assert.Empty(listings!.Items);
        Assert.Equal(market.Listed.Count(), listings.TotalCount);
        Assert.Empty(orders!.Items);
        Assert.Equal(Orders.Count, orders.TotalCount);
        Assert.Equal(2, commands.Count);
        Assert.All(commands, c => Assert.Equal(1 + 1, c.Reads));
    }

    [Fact]
    public async Task Search_LongerThanAnySearchedColumn_FindsNothing_WithoutAQuery()
    {
        using var sql = new SqlRecorder(market.App.DatabasePath);
        var tenKilobytes = new string('a', 10_240);

        AdminPage<AdminListing>? listings = null;
        AdminPage<AdminOrder>? orders = null;
        var commands = await sql.RecordAsync(async () =>
        {
            listings = await market.Dashboard.ListListingsAsync(new AdminQuery<AdminListingSort>(0, 10, AdminListingSort.ListedAt, Search: tenKilobytes));
            orders = await market.Dashboard.ListOrdersAsync(new AdminQuery<AdminOrderSort>(0, 10, AdminOrderSort.PlacedAt, Search: tenKilobytes));
        });

        Assert.Equal((0, 0), (listings!.Items.Count, listings.TotalCount));
        Assert.Equal((0, 0), (orders!.Items.Count, orders.TotalCount));
        Assert.Empty(commands);
    }

    [Theory]
    [InlineData("listings", "ListedAt", true, null)]
    [InlineData("listings", "ListedAt", false, null)]
    [InlineData("listings", "Title", false, null)]
    [InlineData("listings", "Price", true, null)]
    [InlineData("listings", "Status", false, null)]
    [InlineData("listings", "ListedAt", true, "coldplay")]
    [InlineData("orders", "PlacedAt", true, null)]
    [InlineData("orders", "Title", false, null)]
    [InlineData("orders", "Price", true, null)]
    [InlineData("orders", "Status", false, null)]
    [InlineData("orders", "PlacedAt", true, "buyer-3@")]
    public async Task EveryGridSort_ReadsAPageThroughAnIndex_WithoutSortingTheTable(string grid, string sortBy, bool descending, string? search)
    {
        using var sql = new SqlRecorder(market.App.DatabasePath);

        var commands = await sql.RecordAsync(() => grid == "listings"
            ? market.Dashboard.ListListingsAsync(new AdminQuery<AdminListingSort>(3, 25, Enum.Parse<AdminListingSort>(sortBy), descending, search))
            : market.Dashboard.ListOrdersAsync(new AdminQuery<AdminOrderSort>(3, 25, Enum.Parse<AdminOrderSort>(sortBy), descending, search)));

        var page = Assert.Single(commands, c => c.Text.Contains("LIMIT", StringComparison.Ordinal));
        var plan = await QueryPlanAsync(page);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
        Assert.Contains("USING INDEX IX_", plan, StringComparison.Ordinal);
        Assert.Equal(25 + 1, page.Reads);
    }

    [Fact]
    public async Task Figures_OverThousandsOfOrders_AreCountedAndSummedInSql_ToTheCent()
    {
        var listed = market.Listed.Select(s => s.Ticket).ToList();
        var paid = Orders.Where(o => o.Status == OrderStatus.Complete).ToList();
        Assert.True(paid.Count >= 1_000, "the market must hold thousands of orders");
        using var sql = new SqlRecorder(market.App.DatabasePath);

        DashboardFigures? figures = null;
        var commands = await sql.RecordAsync(async () => figures = await market.Dashboard.GetFiguresAsync());

        Assert.Equal(
            new DashboardFigures(
                listed.Count,
                listed.Count(t => t.Status == TicketStatus.Available),
                listed.Count(t => t.Status == TicketStatus.Reserved),
                listed.Count(t => t.Status == TicketStatus.Sold),
                paid.Sum(o => o.Price)),
            figures);
        Assert.Equal(0m, figures!.Revenue % 0.01m);

        // Two aggregates: one row per status, and one total. No price or ticket row reaches the app.
        Assert.Equal(2, commands.Count);
        Assert.Contains(commands, c => c.Text.Contains("COUNT(", StringComparison.OrdinalIgnoreCase) && c.Text.Contains("GROUP BY", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(commands, c => c.Text.Contains("SUM(", StringComparison.OrdinalIgnoreCase));
        Assert.All(commands, c => Assert.InRange(c.Reads, 1 + 1, 3 + 1));
    }

    private List<Order> Orders => market.Seeded.Where(s => s.Order is not null).Select(s => s.Order!).ToList();

    private static TheoryData<TSort, bool> Sorts<TSort>()
        where TSort : struct, Enum
    {
        var data = new TheoryData<TSort, bool>();
        foreach (var sort in Enum.GetValues<TSort>())
        {
            data.Add(sort, false);
            data.Add(sort, true);
        }

        return data;
    }

    /// <summary>
    /// The order SQLite gives: text by code point (its BINARY collation), money as integer cents,
    /// statuses by their stored names, and ids (stored as upper-case text) breaking ties.
    /// </summary>
    /// <remarks>
    /// Listings tie on status and price by creation time, then id: by status in the sort's direction,
    /// by price newest first among equal prices (the reverse when the prices run high to low).
    /// </remarks>
    private static IEnumerable<SeededListing> SortListings(IEnumerable<SeededListing> listings, AdminListingSort sortBy, bool descending)
    {
        IEnumerable<SeededListing> sorted = sortBy switch
        {
            AdminListingSort.Title => listings.OrderBy(s => new OrdinalText(s.Ticket.Title)).ThenBy(s => IdText(s.Ticket.Id)),
            AdminListingSort.Price => listings.OrderBy(s => s.Ticket.Price).ThenByDescending(s => s.Ticket.CreatedAt).ThenByDescending(s => IdText(s.Ticket.Id)),
            AdminListingSort.Status => listings.OrderBy(s => new OrdinalText(s.Ticket.Status.ToString())).ThenBy(s => s.Ticket.CreatedAt).ThenBy(s => IdText(s.Ticket.Id)),
            _ => listings.OrderBy(s => s.Ticket.CreatedAt).ThenBy(s => IdText(s.Ticket.Id)),
        };
        return descending ? sorted.Reverse() : sorted;
    }

    private static OrdinalText IdText(Guid id) => new(id.ToString().ToUpperInvariant());

    private static IEnumerable<Order> SortOrders(IEnumerable<Order> orders, AdminOrderSort sortBy, bool descending)
    {
        Func<Order, IComparable> key = sortBy switch
        {
            AdminOrderSort.Title => o => new OrdinalText(o.TicketTitle),
            AdminOrderSort.Price => o => o.Price,
            AdminOrderSort.Status => o => new OrdinalText(o.Status.ToString()),
            _ => o => o.CreatedAt,
        };
        return Sort(orders, key, o => o.Id, descending);
    }

    private static IEnumerable<T> Sort<T>(IEnumerable<T> rows, Func<T, IComparable> key, Func<T, Guid> id, bool descending)
    {
        var sorted = rows.OrderBy(key).ThenBy(r => new OrdinalText(id(r).ToString().ToUpperInvariant()));
        return descending ? sorted.Reverse() : sorted;
    }

    private static bool Contains(string? text, string term) =>
        text is not null && text.Contains(term.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs SQLite's EXPLAIN QUERY PLAN on a recorded command with its own parameters.</summary>
    private async Task<string> QueryPlanAsync(RecordedCommand command)
    {
        await using var connection = new SqliteConnection($"Data Source={market.App.DatabasePath};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + command.Text;
        foreach (var (name, value) in command.Parameters)
        {
            explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(3));
        }

        return string.Join("\n", lines);
    }

    private readonly record struct OrdinalText(string Value) : IComparable
    {
        public int CompareTo(object? obj) => string.CompareOrdinal(Value, ((OrdinalText)obj!).Value);
    }
}
