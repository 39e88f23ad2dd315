using Ticketing.Domain.Tickets;
using Ticketing.Testing;

namespace Ticketing.Bench;

/// <summary>A market of thousands of listings in a second, as the tests make one (<see cref="Catalogue"/>).</summary>
internal static class Market
{
    /// <summary>
    /// Starts <paramref name="app"/> (which creates its database) and lists <paramref name="count"/>
    /// realistic tickets, one second apart up to a minute ago, their events recorded as long delivered.
    /// Returns them newest first, as the home page shows them.
    /// </summary>
    public static async Task<List<Ticket>> ListTicketsAsync(this BenchApp app, int count)
    {
        _ = app.BaseAddress;
        var tickets = await Catalogue.ListTicketsAsync(app.DatabasePath, Guid.NewGuid(), count, DateTimeOffset.UtcNow.AddMinutes(-1));
        tickets.Reverse();
        return tickets;
    }
}
