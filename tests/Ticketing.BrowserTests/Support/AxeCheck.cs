using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Ticketing.BrowserTests.Support;

/// <summary>One axe-core scan of a page as it stands, and what it found, in words for the test output.</summary>
public sealed record AxeCheck(string Label, AxeResult Result)
{
    /// <summary>WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices (landmarks, heading order, names).</summary>
    public static readonly IReadOnlyList<string> Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"];

    public static async Task<AxeCheck> RunAsync(IPage page, string label)
    {
        // Transitions (a chip's colour, a ripple) must have finished, or contrast is judged mid-fade.
        await page.EvaluateAsync("() => document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))");
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Tags] },
        });
        return new AxeCheck(label, result);
    }

    /// <summary>Every rule axe ran on the page, whatever it found.</summary>
    public int RulesChecked => Result.Passes.Length + Result.Violations.Length + Result.Incomplete.Length + Result.Inapplicable.Length;

    public bool Clean => Result.Violations.Length == 0;

    /// <summary>"label: N rules checked; passed (n): ids; not applicable: n; to review by hand: ids; violations: ids".</summary>
    public string Summary()
    {
        var text = new StringBuilder()
            .Append($"{Label}: {RulesChecked} rules checked")
            .Append($"; passed ({Result.Passes.Length}): {string.Join(", ", Result.Passes.Select(r => r.Id).Order())}")
            .Append($"; not applicable: {Result.Inapplicable.Length}");
        if (Result.Incomplete.Length > 0)
        {
            text.Append($"; to review by hand: {string.Join(", ", Result.Incomplete.Select(r => $"{r.Id} ({r.Nodes.Length})").Order())}");
        }

        text.Append(Clean ? "; no violations" : $"; VIOLATIONS: {string.Join(", ", Result.Violations.Select(r => r.Id))}");
        return text.ToString();
    }

    /// <summary>Each violation with its id, impact, help text and the elements it names.</summary>
    public string Violations()
    {
        var text = new StringBuilder();
        foreach (var rule in Result.Violations)
        {
            text.AppendLine($"{Label}: {rule.Id} ({rule.Impact}) — {rule.Help} <{rule.HelpUrl}>");
            foreach (var node in rule.Nodes.Take(8))
            {
                var checks = node.Any.Concat(node.All).Concat(node.None).Select(c => c.Message).Distinct();
                text.AppendLine($"    at {node.Target}: {string.Join("; ", checks)}");
                text.AppendLine($"       {(node.Html.Length > 300 ? node.Html[..300] + "…" : node.Html)}");
            }

            if (rule.Nodes.Length > 8)
            {
                text.AppendLine($"    … and {rule.Nodes.Length - 8} more");
            }
        }

        return text.ToString();
    }
}
