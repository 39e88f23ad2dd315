using Ticketing.Infrastructure.Tickets;

namespace Ticketing.Infrastructure.Admin;

/// <summary>The market at a glance: listings by status and the money taken.</summary>
/// <param name="Listed">Every listing on the market (available, reserved and sold).</param>
/// <param name="Revenue">The sum of the prices of completed orders.</param>
public sealed record DashboardFigures(int Listed, int Available, int Reserved, int Sold, decimal Revenue);

/// <summary>A listing as the admin sees it: the public ticket plus who sells it.</summary>
public sealed record AdminListing(TicketView Ticket, string? SellerEmail, DateTimeOffset ListedAt);

/// <summary>An order as the admin sees it, with its buyer and why it was cancelled.</summary>
/// <param name="CancellationReason">user, expired or admin; null unless cancelled.</param>
public sealed record AdminOrder(
    Guid Id,
    Guid TicketId,
    string TicketTitle,
    decimal Price,
    Guid BuyerId,
    string? BuyerEmail,
    string Status,
    string? CancellationReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    int Version)
{
    /// <summary>Still holding its ticket and payable (created or awaiting payment).</summary>
    public bool IsLive => OrderStatusNames.IsLive(Status);
}

/// <summary>The columns the admin's listings grid sorts by; each has an index (see TicketConfiguration).</summary>
public enum AdminListingSort
{
    ListedAt,
    Title,
    Price,
    Status,
}

/// <summary>The columns the admin's orders grid sorts by; each has an index (see OrderConfiguration).</summary>
public enum AdminOrderSort
{
    PlacedAt,
    Title,
    Price,
    Status,
}

/// <summary>
/// One page of an admin grid: which rows match <paramref name="Search"/>, in which order, and which
/// slice of them. Out-of-range values are brought into range rather than refused: a grid never asks
/// for a page it cannot show, and anything else is a hand-made request that deserves an empty page.
/// </summary>
/// <param name="Page">Zero-based.</param>
/// <param name="Search">
/// Listings: part of the title, venue or seller's email. Orders: part of the ticket's title or the
/// buyer's email, a whole order or ticket id, or part of a status name (created, awaiting:payment,
/// complete, cancelled).
/// </param>
public sealed record AdminQuery<TSort>(int Page, int PageSize, TSort SortBy, bool Descending = true, string? Search = null)
    where TSort : struct, Enum;

/// <summary>The bounds of every <see cref="AdminQuery{TSort}"/>.</summary>
public static class AdminQuery
{
    public const int MaxPageSize = 100;

    /// <summary>No searched column holds more than this (emails are the longest), so a longer search finds nothing.</summary>
    public const int MaxSearchLength = 256;
}

/// <summary>One page of rows and how many rows match in all.</summary>
public sealed record AdminPage<T>(IReadOnlyList<T> Items, int TotalCount);
