using System.Collections;
using System.Globalization;
using System.Security;
using System.Text;
using QRCoder;

namespace Ticketing.Infrastructure.Delivery;

/// <summary>
/// Draws the e-ticket: the QR code of its code, and the code, the order id and the title in words
/// for a door where nothing scans. SVG, so that it prints sharp at any size and needs no image
/// library; every text the seller wrote is escaped.
/// </summary>
public static class ETicketImage
{
    public const string ContentType = "image/svg+xml";

    private const int Scale = 8;
    private const int Width = 360;

    public static byte[] Svg(string code, Guid orderId, string title)
    {
        var matrix = Modules(code);
        var size = matrix.Count * Scale;
        var left = (Width - size) / 2;
        var top = 56;
        var path = new StringBuilder();
        for (var y = 0; y < matrix.Count; y++)
        {
            var row = matrix[y];
            for (var x = 0; x < row.Length; x++)
            {
                if (!row[x])
                {
                    continue;
                }

                // One rectangle per run of dark modules keeps the path short.
                var run = 1;
                while (x + run < row.Length && row[x + run])
                {
                    run++;
                }

                path.Append(CultureInfo.InvariantCulture, $"M{left + (x * Scale)} {top + (y * Scale)}h{run * Scale}v{Scale}h{-run * Scale}z");
                x += run - 1;
            }
        }

        var textTop = top + size + 28;
        var titleLines = Wrap(title, 34, 2);
        var height = textTop + 60 + (titleLines.Count * 22);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{height}" viewBox="0 0 {Width} {height}" role="img" aria-label="E-ticket for order {orderId}">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<rect width="{Width}" height="{height}" fill="#ffffff"/>""");
        svg.Append("""<text x="180" y="34" text-anchor="middle" font-family="sans-serif" font-size="18" font-weight="bold" fill="#000000">Ticketing e-ticket · admit one</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<path fill="#000000" shape-rendering="crispEdges" d="{path}"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="180" y="{textTop}" text-anchor="middle" font-family="monospace" font-size="15" fill="#000000">{Escape(code)}</text>""");
        var y0 = textTop + 28;
        foreach (var line in titleLines)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="180" y="{y0}" text-anchor="middle" font-family="sans-serif" font-size="17" font-weight="bold" fill="#000000">{Escape(line)}</text>""");
            y0 += 22;
        }

        svg.Append(CultureInfo.InvariantCulture, $"""<text x="180" y="{y0 + 6}" text-anchor="middle" font-family="sans-serif" font-size="12" fill="#333333">Order {orderId}</text>""");
        svg.Append("</svg>");
        return Encoding.UTF8.GetBytes(svg.ToString());
    }

    /// <summary>
    /// The QR code as an HTML table of dark and light cells, for e-mail: mail clients show tables and
    /// inline colours, while many of them block images and drop SVG. Runs of one colour share a cell
    /// (<c>colspan</c>) over fixed columns, which keeps the table to a few kilobytes.
    /// </summary>
    public static string HtmlTable(string code, int moduleSize = 5)
    {
        var matrix = Modules(code);
        var n = matrix.Count;
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""<table role="img" aria-label="QR code of the e-ticket" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;table-layout:fixed;width:{n * moduleSize}px;background:#ffffff;">""");
        html.Append("<colgroup>");
        for (var x = 0; x < n; x++)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<col style="width:{moduleSize}px">""");
        }

        html.Append("</colgroup>");
        foreach (var row in matrix)
        {
            html.Append("<tr>");
            for (var x = 0; x < row.Length;)
            {
                var dark = row[x];
                var run = 1;
                while (x + run < row.Length && row[x + run] == dark)
                {
                    run++;
                }

                html.Append(CultureInfo.InvariantCulture, $"""<td colspan="{run}" style="background:{(dark ? "#000000" : "#ffffff")};height:{moduleSize}px;line-height:{moduleSize}px;font-size:0;padding:0;"></td>""");
                x += run;
            }

            html.Append("</tr>");
        }

        html.Append("</table>");
        return html.ToString();
    }

    /// <summary>The symbol's modules, quiet zone included, row by row; true is dark.</summary>
    public static List<BitArray> Modules(string code)
    {
        // The code without its dashes: 32 alphanumeric characters fit a small, robust symbol.
        using var data = QRCodeGenerator.GenerateQrCode(code.Replace("-", string.Empty, StringComparison.Ordinal), QRCodeGenerator.ECCLevel.Q);
        return data.ModuleMatrix.Select(row => new BitArray(row)).ToList();
    }

    private static string Escape(string text) => SecurityElement.Escape(new string(text.Where(c => !char.IsControl(c)).ToArray())) ?? string.Empty;

    /// <summary>Whole words per line where they fit; the last line ends with an ellipsis when the title is longer.</summary>
    private static List<string> Wrap(string text, int width, int maxLines)
    {
        var lines = new List<string>();
        var current = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (current.Length > 0 && current.Length + 1 + word.Length > width)
            {
                lines.Add(current.ToString());
                current.Clear();
            }

            if (current.Length > 0)
            {
                current.Append(' ');
            }

            current.Append(word);
        }

        if (current.Length > 0)
        {
            lines.Add(current.ToString());
        }

        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Length > width)
            {
                lines[i] = lines[i][..(width - 1)] + "…";
            }
        }

        if (lines.Count > maxLines)
        {
            lines = lines.Take(maxLines).ToList();
            var last = lines[^1];
            lines[^1] = (last.Length >= width ? last[..(width - 1)] : last) + "…";
        }

        return lines;
    }
}
