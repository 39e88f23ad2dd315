namespace Ticketing.Web.Components.Layout;

/// <summary>The app's sections, in the order the app bar and the drawer show them.</summary>
public sealed record NavItem(string Key, string Text, string Href, string Icon, bool AdminOnly = false, bool Exact = false, bool ScannerOrAdmin = false)
{
    public static IReadOnlyList<NavItem> All { get; } =
    [
        new("browse", "Browse", "/", MudBlazor.Icons.Material.Outlined.ConfirmationNumber, Exact: true),
        new("sell", "Sell", "/tickets/new", MudBlazor.Icons.Material.Outlined.Sell),
        new("listings", "My listings", "/my/listings", MudBlazor.Icons.Material.Outlined.ViewList),
        new("orders", "My orders", "/orders", MudBlazor.Icons.Material.Outlined.ShoppingBag),
        new("scan", "Scan", "/scan", MudBlazor.Icons.Material.Outlined.QrCodeScanner, ScannerOrAdmin: true),
        new("admin", "Admin", "/admin", MudBlazor.Icons.Material.Outlined.AdminPanelSettings, AdminOnly: true),
    ];

    /// <summary>The signed-in account's menu, on every page: the account page, then the buyer's and seller's own lists.</summary>
    public static IReadOnlyList<NavItem> AccountMenu { get; } =
    [
        new("account", "Account", "/account/manage", MudBlazor.Icons.Material.Outlined.ManageAccounts),
        new("account-listings", "My listings", "/my/listings", MudBlazor.Icons.Material.Outlined.ViewList),
        new("account-orders", "My orders", "/orders", MudBlazor.Icons.Material.Outlined.ShoppingBag),
    ];

    public static IEnumerable<NavItem> For(bool isAdmin, bool isScanner = false) =>
        All.Where(i => isAdmin || (!i.AdminOnly && (!i.ScannerOrAdmin || isScanner)));
}
