namespace Ticketing.Infrastructure.Paging;

/// <summary>One page of a list walked with a cursor; <see cref="Next"/> is null on the last page.</summary>
public sealed record CursorPage<T>(IReadOnlyList<T> Items, ListCursor? Next);

/// <summary>
/// Page <see cref="Number"/> (from 1) of a list of <see cref="Total"/> items cut into pages of
/// <see cref="Size"/>: what a page with numbered links shows.
/// </summary>
public sealed record NumberedPage<T>(IReadOnlyList<T> Items, int Number, int Size, int Total)
{
    public int PageCount => PageCountOf(Total, Size);

    /// <summary>The position of the first item shown, from 1 (0 when the page is empty).</summary>
    public int First => Items.Count == 0 ? 0 : ((Number - 1) * Size) + 1;

    public int Last => Items.Count == 0 ? 0 : First + Items.Count - 1;

    public static NumberedPage<T> Empty(int size) => new([], 1, size, 0);

    internal static int PageCountOf(int total, int size) => Math.Max(1, (int)(((long)total + size - 1) / size));
}

public static class Pagination
{
    /// <summary>The most items one read returns, whoever asks.</summary>
    public const int MaxLimit = 500;

    /// <summary>
    /// The page to show for a requested number: below 1 is the first page and past the end the last,
    /// so that a hand-edited address still shows listings and never asks the database to skip millions.
    /// </summary>
    public static int ClampPage(int requested, int size, int total) =>
        Math.Clamp(requested, 1, NumberedPage<object>.PageCountOf(total, size));

    internal static void CheckLimit(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
    }
}
