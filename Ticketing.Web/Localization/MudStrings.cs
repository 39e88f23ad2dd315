using Microsoft.Extensions.Localization;
using MudBlazor;

namespace Ticketing.Web.Localization;

/// <summary>
/// MudBlazor's own words on the app's pages (the grids' pagers and their "Loading…") in the reader's
/// language, read from <see cref="UiStrings"/> like every other word. MudBlazor asks this only for a
/// language other than English, and keeps its own English for a word not named here.
/// </summary>
public sealed class MudStrings(IStringLocalizer<UiStrings> text) : MudLocalizer
{
    public override LocalizedString this[string key] => key switch
    {
        "MudDataGridPager_RowsPerPage" => text["Rows per page:"],
        "MudDataGridPager_InfoFormat" => text["{0}-{1} of {2}"],
        "MudDataGridPager_AllItems" => text["All"],
        "MudDataGridPager_FirstPage" => text["First page"],
        "MudDataGridPager_PreviousPage" => text["Previous page"],
        "MudDataGridPager_NextPage" => text["Next page"],
        "MudDataGridPager_LastPage" => text["Last page"],
        "MudDataGrid_Loading" => text["Loading…"],
        "MudDataGrid_Sort" => text["Sort"],
        "MudDataGrid_Unsort" => text["Unsort"],
        _ => new LocalizedString(key, key, resourceNotFound: true),
    };
}
