using Microsoft.AspNetCore.Components;

namespace Ticketing.Web.Components.Shared;

/// <summary>
/// A Material icon as the markup <c>MudIcon</c> writes, without a component: lists render one per
/// row, and every component a circuit keeps costs memory for as long as the page is open.
/// </summary>
public static class PlainIcon
{
    /// <param name="icon">One of MudBlazor's <c>Icons.Material</c> constants (SVG markup of our own, never user input).</param>
    /// <param name="size">small, medium or large.</param>
    /// <param name="cssClass">Extra classes, e.g. a palette colour such as <c>mud-success-text</c>.</param>
    public static MarkupString Of(string icon, string size = "small", string? cssClass = null) =>
        new($"<svg class=\"mud-icon-root mud-svg-icon mud-icon-size-{size}{(cssClass is null ? string.Empty : " " + cssClass)}\" focusable=\"false\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" role=\"img\">{icon}</svg>");
}
