using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Ticketing.Web.Tests.Localization;

/// <summary>
/// Every word a page asks the localizer for has a German translation, and the translations keep
/// the placeholders of their English keys: a forgotten or broken entry is named here, not found by
/// a German reader.
/// </summary>
public sealed partial class ResourceCoverageTests
{
    private static readonly string Root = RepoRoot();

    [Fact]
    public void EveryLiteralKeyInTheUi_HasAGermanEntry()
    {
        var german = GermanEntries();
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "Ticketing.Web"), "*.*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            foreach (Match m in LocalizerCall().Matches(File.ReadAllText(file)))
            {
                var key = m.Groups[1].Value.Replace("\\\"", "\"", StringComparison.Ordinal);
                if (!german.ContainsKey(key))
                {
                    missing.Add($"{Path.GetRelativePath(Root, file)}: {key}");
                }
            }
        }

        Assert.True(missing.Count == 0, "Keys without a German entry in UiStrings.de.resx:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void EveryGermanEntry_KeepsThePlaceholdersOfItsKey()
    {
        var broken = GermanEntries()
            .Where(e => !Placeholders(e.Key).SetEquals(Placeholders(e.Value)) || e.Value.Trim().Length == 0)
            .Select(e => $"{e.Key} => {e.Value}")
            .ToList();

        Assert.True(broken.Count == 0, "German entries whose placeholders differ from their key's:\n" + string.Join("\n", broken));
    }

    [Theory]
    [InlineData("de", "Abmelden", false)]
    [InlineData("de-CH", "Abmelden", false)]
    [InlineData("en", "Sign out", true)]
    [InlineData("fr", "Sign out", true)]
    public void TheCompiledResource_ServesGerman_AndFallsBackToTheKey(string culture, string expected, bool fallsBack)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            var text = Components.Support.Localizers.Ui["Sign out"];

            Assert.Equal(expected, text.Value);
            Assert.Equal(fallsBack, text.ResourceNotFound);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    private static Dictionary<string, string> GermanEntries() =>
        XDocument.Load(Path.Combine(Root, "Ticketing.Web", "Localization", "UiStrings.de.resx"))
            .Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? string.Empty, StringComparer.Ordinal);

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value)];

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ticketing.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Ticketing.sln was not found above " + AppContext.BaseDirectory);
    }

    // L["…"] (and a static helper's text["…"]) with a literal key; keys computed at run time are
    // covered by the pages' own German tests.
    [GeneratedRegex("""\b(?:L|text)\["((?:[^"\\]|\\.)*)"[\],]""")]
    private static partial Regex LocalizerCall();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
