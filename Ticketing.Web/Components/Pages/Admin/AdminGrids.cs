using System.Globalization;
using MudBlazor;
using Ticketing.Infrastructure.Admin;

namespace Ticketing.Web.Components.Pages.Admin;

/// <summary>What the admin's listings and orders grids share: page sizes, sorting, the "new" prompt.</summary>
public static class AdminGrids
{
    public static readonly int[] PageSizes = [10, 25, 50, AdminQuery.MaxPageSize];

    /// <summary>The sortable columns of the listings grid, by the property each column shows.</summary>
    public static readonly IReadOnlyDictionary<string, AdminListingSort> ListingSorts = new Dictionary<string, AdminListingSort>
    {
        [nameof(ListingRow.ListedAt)] = AdminListingSort.ListedAt,
        [nameof(ListingRow.Title)] = AdminListingSort.Title,
        [nameof(ListingRow.Price)] = AdminListingSort.Price,
        [nameof(ListingRow.Status)] = AdminListingSort.Status,
    };

    /// <summary>The sortable columns of the orders grid, by the property each column shows.</summary>
    public static readonly IReadOnlyDictionary<string, AdminOrderSort> OrderSorts = new Dictionary<string, AdminOrderSort>
    {
        [nameof(AdminOrder.CreatedAt)] = AdminOrderSort.PlacedAt,
        [nameof(AdminOrder.TicketTitle)] = AdminOrderSort.Title,
        [nameof(AdminOrder.Price)] = AdminOrderSort.Price,
        [nameof(AdminOrder.Status)] = AdminOrderSort.Status,
    };

    /// <summary>New rows past this many are shown as "999+": the prompt's memory stays bounded.</summary>
    private const int MaxCountedNew = 999;

    /// <summary>The grid's page, sort and the search box as a query for the database; no sort means newest first.</summary>
    public static AdminQuery<TSort> ToQuery<TRow, TSort>(GridState<TRow> state, string? search, IReadOnlyDictionary<string, TSort> sorts, TSort newest)
        where TSort : struct, Enum
    {
        var sort = state.SortDefinitions.OrderBy(s => s.Index).FirstOrDefault();
        return sort is not null && sorts.TryGetValue(sort.SortBy, out var sortBy)
            ? new AdminQuery<TSort>(state.Page, state.PageSize, sortBy, sort.Descending, search)
            : new AdminQuery<TSort>(state.Page, state.PageSize, newest, Descending: true, search);
    }

    /// <summary>Counts a row that arrived off the page shown (a set: a redelivered change counts once).</summary>
    public static void CountNew(HashSet<Guid> newIds, Guid id)
    {
        if (newIds.Count < MaxCountedNew)
        {
            newIds.Add(id);
        }
    }

    /// <summary>"1 new listing", "3 new orders", "999+ new listings".</summary>
    public static string NewPrompt(int count, string noun) => count >= MaxCountedNew
        ? $"{MaxCountedNew}+ new {noun}s"
        : string.Create(CultureInfo.InvariantCulture, $"{count} new {noun}{(count == 1 ? string.Empty : "s")}");
}

/// <summary>
/// Keeps one admin grid's server loads and the live changes that arrive meanwhile in step. A change
/// that arrives while a page is being read may or may not be in what the read returns, so it is held
/// and applied to the page once the grid has it. A reload asked for during a load or an inline edit
/// runs once, after it: however many changes arrive, a grid reads at most one page at a time.
/// </summary>
public sealed class AdminGridFeed<TChange>
{
    /// <summary>Past this many held changes the page is simply read again.</summary>
    private const int MaxHeld = 200;

    private readonly List<TChange> _held = [];
    private int _loading;
    private int _latest;
    private bool _loadedOnce;
    private bool _reloadAfterLoad;
    private bool _reloadAfterEdit;

    /// <summary>True when the change must wait for the page being read (or not read yet).</summary>
    public bool Hold(TChange change)
    {
        if (_loading == 0 && _loadedOnce)
        {
            return false;
        }

        if (_held.Count < MaxHeld)
        {
            _held.Add(change);
        }
        else
        {
            _reloadAfterLoad = true;
        }

        return true;
    }

    public Load StartLoad()
    {
        _loading++;
        return new Load(this, ++_latest);
    }

    /// <summary>What to catch up on once the last running load has ended; null when nothing.</summary>
    public CatchUp? EndLoad()
    {
        _loading--;
        _loadedOnce = true;
        if (_loading > 0 || (_held.Count == 0 && !_reloadAfterLoad))
        {
            return null;
        }

        var catchUp = new CatchUp([.. _held], _reloadAfterLoad);
        _held.Clear();
        _reloadAfterLoad = false;
        return catchUp;
    }

    /// <summary>True when a reload may start now; otherwise it is remembered for after the load or the edit.</summary>
    public bool MayReload(bool editing)
    {
        if (editing)
        {
            _reloadAfterEdit = true;
            return false;
        }

        if (_loading > 0)
        {
            _reloadAfterLoad = true;
            return false;
        }

        return true;
    }

    /// <summary>True (once) when a reload waited for the edit that just ended.</summary>
    public bool TakeReloadAfterEdit()
    {
        var reload = _reloadAfterEdit;
        _reloadAfterEdit = false;
        return reload;
    }

    public readonly record struct Load(AdminGridFeed<TChange> Feed, int Number)
    {
        /// <summary>False when a newer load started meanwhile: this one's rows must not replace it.</summary>
        public bool IsLatest => Number == Feed._latest;
    }

    public sealed record CatchUp(IReadOnlyList<TChange> Changes, bool Reload);
}
