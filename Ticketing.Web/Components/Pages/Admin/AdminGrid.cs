using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Ticketing.Infrastructure.Admin;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Web.Components.Shared;

namespace Ticketing.Web.Components.Pages.Admin;

/// <summary>
/// What the admin's listings and orders grids share: one page of rows read through MudDataGrid's
/// <c>ServerData</c> (sorted and searched by the database), the search box, live changes applied to
/// the rows shown, and the "N new" prompt for rows that arrive off the page shown.
/// </summary>
/// <typeparam name="TRow">One row of the grid.</typeparam>
/// <typeparam name="TChange">The live change the grid follows.</typeparam>
/// <typeparam name="TSort">The columns the database sorts by.</typeparam>
public abstract class AdminGrid<TRow, TChange, TSort> : ComponentBase
    where TSort : struct, Enum
{
    public static readonly int[] PageSizes = [10, 25, 50, AdminQuery.MaxPageSize];

    /// <summary>New rows past this many are shown as "999+": the prompt's memory stays bounded.</summary>
    private const int MaxCountedNew = 999;

    private readonly AdminGridFeed<TChange> _feed = new();
    private ILogger? _logger;
    private int _total;
    private AdminQuery<TSort>? _shown;

    /// <summary>The admin acting on rows.</summary>
    [Parameter, EditorRequired]
    public Actor Admin { get; set; } = default!;

    [Parameter, EditorRequired]
    public string Currency { get; set; } = "usd";

    /// <summary>Raised after this grid changed the market (an edit, a withdrawal, a cancelled reservation), for the figures.</summary>
    [Parameter]
    public EventCallback Changed { get; set; }

    /// <summary>The reader's zone, in which the grid writes times (decision 30).</summary>
    [CascadingParameter]
    public BrowserTime? Time { get; set; }

    [Inject]
    private ILoggerFactory LoggerFactory { get; set; } = default!;

    protected ILogger Logger => _logger ??= LoggerFactory.CreateLogger(GetType());

    /// <summary>Set by the grid's <c>@ref</c>.</summary>
    protected MudDataGrid<TRow>? Grid { get; set; }

    /// <summary>The page shown: the only rows this grid holds.</summary>
    protected List<TRow> Rows { get; private set; } = [];

    /// <summary>Rows that arrived off the page shown, for the prompt.</summary>
    protected HashSet<Guid> NewIds { get; } = [];

    protected string? Search { get; private set; }

    protected string? LoadError { get; private set; }

    protected bool Loaded { get; private set; }

    /// <summary>The sortable columns, by the name of the property each column shows.</summary>
    protected abstract IReadOnlyDictionary<string, TSort> Sorts { get; }

    /// <summary>The sort by age: newest first is the grid's default, and where new rows appear.</summary>
    protected abstract TSort ByAge { get; }

    /// <summary>The column (property name) sorted by age, and its value.</summary>
    protected abstract (string Column, Func<TRow, object> Value) AgeColumn { get; }

    /// <summary>"listing" or "order", for the prompt and the logs.</summary>
    protected abstract string Noun { get; }

    /// <summary>While true, the page is not read again (that would sweep an inline edit away).</summary>
    protected virtual bool IsEditing => false;

    /// <summary>First page, newest first: new rows belong at its top.</summary>
    protected bool ShowsNewestFirst =>
        _shown is { Page: 0, Descending: true } shown && EqualityComparer<TSort>.Default.Equals(shown.SortBy, ByAge);

    /// <summary>How many rows arrived off the page, for the prompt ("3 new orders", "999+ new listings") in the reader's language.</summary>
    protected string NewCount => NewIds.Count >= MaxCountedNew
        ? $"{MaxCountedNew.ToString("N0", CultureInfo.CurrentCulture)}+"
        : NewIds.Count.ToString("N0", CultureInfo.CurrentCulture);

    /// <summary>
    /// Applies a committed change: a row on the page takes it in place; a new row reloads the page
    /// when it would appear on it and is counted for the prompt otherwise. A change arriving while a
    /// page is being read waits for that page.
    /// </summary>
    public async Task ApplyAsync(TChange change)
    {
        if (_feed.Hold(change))
        {
            return;
        }

        if (await ApplyToPageAsync(change))
        {
            await ReloadAsync();
        }

        StateHasChanged();
    }

    /// <summary>Reads one page of rows matching the query.</summary>
    protected abstract Task<AdminPage<TRow>> ReadPageAsync(AdminQuery<TSort> query, CancellationToken cancellationToken);

    /// <summary>Applies a change to the page shown; true when the page must be read again to show it.</summary>
    protected abstract Task<bool> ApplyToPageAsync(TChange change);

    /// <summary>Counts a row that arrived off the page shown (a set: a redelivered change counts once).</summary>
    protected void CountNew(Guid id)
    {
        if (NewIds.Count < MaxCountedNew)
        {
            NewIds.Add(id);
        }
    }

    /// <summary>The grid's <c>ServerData</c>.</summary>
    protected async Task<GridData<TRow>> LoadAsync(GridState<TRow> state, CancellationToken cancellationToken)
    {
        var query = ToQuery(state);
        var load = _feed.StartLoad();
        try
        {
            var page = await ReadPageAsync(query, cancellationToken);
            if (load.IsLatest)
            {
                (Rows, _total, _shown, LoadError) = (page.Items.ToList(), page.TotalCount, query, null);
                if (ShowsNewestFirst)
                {
                    NewIds.Clear();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A newer load replaced this one.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Could not load a page of the admin's {Noun}s", Noun);
            (Rows, _total, LoadError) = ([], 0, $"We couldn't load the {Noun}s. Please try again.");
        }
        finally
        {
            Loaded = true;
            if (_feed.EndLoad() is { } catchUp)
            {
                _ = CatchUpAsync(catchUp);
            }
        }

        return new GridData<TRow> { Items = Rows, TotalItems = _total };
    }

    /// <summary>Reads the page again, unless a load or an edit is under way (then right after it).</summary>
    protected async Task ReloadAsync()
    {
        if (Grid is not null && _feed.MayReload(IsEditing))
        {
            await Grid.ReloadServerData();
        }
    }

    /// <summary>Called when an inline edit ends: a reload it held back runs now.</summary>
    protected void EditEnded()
    {
        if (_feed.TakeReloadAfterEdit())
        {
            _ = ReloadSoonAsync();
        }
    }

    protected async Task SearchAsync(string? value)
    {
        Search = string.IsNullOrWhiteSpace(value) ? null : value;
        await FirstPageAsync();
    }

    /// <summary>The prompt's action: newest first, first page.</summary>
    protected async Task ShowNewestAsync()
    {
        NewIds.Clear();
        if (Grid is null)
        {
            return;
        }

        if (_shown is not { Descending: true } || !EqualityComparer<TSort>.Default.Equals(_shown.SortBy, ByAge))
        {
            var (column, value) = AgeColumn;
            await Grid.SetSortAsync(column, SortDirection.Descending, value);
        }

        await FirstPageAsync();
    }

    private async Task FirstPageAsync()
    {
        if (Grid is { CurrentPage: > 0 })
        {
            Grid.NavigateTo(MudBlazor.Page.First);
            return;
        }

        await ReloadAsync();
    }

    /// <summary>The grid's page, sort and the search box as a query; no sort means newest first.</summary>
    private AdminQuery<TSort> ToQuery(GridState<TRow> state)
    {
        var sort = state.SortDefinitions.OrderBy(s => s.Index).FirstOrDefault();
        return sort is not null && Sorts.TryGetValue(sort.SortBy, out var sortBy)
            ? new AdminQuery<TSort>(state.Page, state.PageSize, sortBy, sort.Descending, Search)
            : new AdminQuery<TSort>(state.Page, state.PageSize, ByAge, Descending: true, Search);
    }

    /// <summary>Changes that arrived while a page was loading, applied once the grid holds it.</summary>
    private async Task CatchUpAsync(AdminGridFeed<TChange>.CatchUp catchUp)
    {
        // After the grid has taken the page this load returns.
        await Task.Yield();
        await InvokeAsync(async () =>
        {
            try
            {
                var reload = catchUp.Reload;
                foreach (var change in catchUp.Changes)
                {
                    reload |= await ApplyToPageAsync(change);
                }

                if (reload)
                {
                    await ReloadAsync();
                }

                StateHasChanged();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Logger.LogWarning(ex, "Could not apply the {Noun} changes that arrived during a load", Noun);
            }
        });
    }

    private async Task ReloadSoonAsync()
    {
        // After the grid has left edit mode.
        await Task.Yield();
        await InvokeAsync(ReloadAsync);
    }
}
