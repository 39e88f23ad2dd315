using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace Ticketing.Web.Tests.Components.Support;

public static partial class Text
{
    /// <summary>What a reader sees: whitespace (non-breaking included) collapsed to single spaces.</summary>
    public static string Of(IElement element) => Spaces().Replace(element.TextContent.Replace('\u00a0', ' '), " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
