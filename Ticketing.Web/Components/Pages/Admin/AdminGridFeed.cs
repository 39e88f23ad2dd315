namespace Ticketing.Web.Components.Pages.Admin;

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
