namespace Ticketing.Web.Components.Layout;

/// <summary>The app's sections, in the order the app bar and the drawer show them.</summary>
public sealed record NavItem(string Key, string Text, string Href, string Icon, bool AdminOnly = false, bool Exact = false)
{
    public static IReadOnlyList<NavItem> All { get; } =
    [
        new("browse", "Browse", "/", MudBlazor.Icons.Material.Outlined.ConfirmationNumber, Exact: true),
        new("sell", "Sell", "/tickets/new", MudBlazor.Icons.Material.Outlined.Sell),
        new("listings", "My listings", "/my/listings", MudBlazor.Icons.Material.Outlined.ViewList),
        new("orders", "My orders", "/orders", MudBlazor.Icons.Material.Outlined.ShoppingBag),
        new("admin", "Admin", "/admin", MudBlazor.Icons.Material.Outlined.AdminPanelSettings, AdminOnly: true),
    ];

    public static IEnumerable<NavItem> For(bool isAdmin) => All.Where(i => isAdmin || !i.AdminOnly);
}
