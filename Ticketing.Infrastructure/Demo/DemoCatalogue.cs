using System.Text.Json;

namespace Ticketing.Infrastructure.Demo;

/// <summary>
/// Who and what the demo market holds: its accounts, and the kind of tickets people resell, with and
/// without dates. The names and listings are data, in <c>DemoCatalogue.json</c> beside this file
/// (embedded in the assembly).
/// </summary>
public static class DemoCatalogue
{
    /// <summary>Every demo account signs in with this password (Development only; documented in the README).</summary>
    public const string Password = "demo-tickets-2026";

    /// <summary>The demo accounts' addresses end with this; no real mailbox is behind them.</summary>
    public const string EmailDomain = "@demo.ticketing.local";

    private const string ResourceName = "Ticketing.Infrastructure.Demo.DemoCatalogue.json";

    private static readonly Lazy<Contents> Data = new(Load);

    internal static IReadOnlyList<string> Sellers => Data.Value.Sellers;

    internal static string Buyer => Data.Value.Buyer;

    internal static IReadOnlyList<Listing> Listings => Data.Value.Listings;

    /// <param name="DaysAhead">The event's day counted from today; none for an open-dated ticket.</param>
    /// <param name="Hour">The event's hour on that day, in UTC.</param>
    internal sealed record Listing(string Title, decimal Price, int? DaysAhead = null, int Hour = 19, string? Venue = null, string? Description = null);

    private sealed record Contents(string[] Sellers, string Buyer, Listing[] Listings);

    private static Contents Load()
    {
        using var stream = typeof(DemoCatalogue).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The demo catalogue {ResourceName} is not embedded in the assembly.");
        return JsonSerializer.Deserialize<Contents>(stream, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"The demo catalogue {ResourceName} is empty.");
    }
}
