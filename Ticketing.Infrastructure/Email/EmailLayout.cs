using System.Globalization;
using System.Net;
using System.Text;

namespace Ticketing.Infrastructure.Email;

/// <summary>
/// Writes every e-mail the same way: a plain-text part and a simple HTML part with inline styles and
/// no images, so that it reads the same in any mail client and loads nothing from the network.
/// Everything a user typed (ticket titles) is HTML-encoded.
/// </summary>
public static class EmailLayout
{
    /// <summary>A line of the facts table, e.g. ("Order", "3f2a…").</summary>
    public sealed record Fact(string Label, string Value);

    /// <summary>A link the e-mail asks the reader to open, e.g. ("Choose a new password", "https://…").</summary>
    public sealed record Action(string Label, string Url);

    /// <param name="action">A link the e-mail asks the reader to open, as a button.</param>
    /// <param name="generatedHtml">
    /// Markup the app drew itself (the e-ticket's QR code), shown between the paragraphs and the facts.
    /// Never anything a user typed: it is not encoded.
    /// </param>
    public static OutgoingEmail Compose(string to, string subject, string heading, IReadOnlyList<string> paragraphs, IReadOnlyList<Fact> facts, Action? action = null, string? generatedHtml = null)
    {
        var text = new StringBuilder();
        text.AppendLine(heading).AppendLine();
        foreach (var paragraph in paragraphs)
        {
            text.AppendLine(paragraph).AppendLine();
        }

        if (action is not null)
        {
            // On a line of its own, so that a plain-text reader's client makes it clickable whole.
            text.AppendLine(action.Label + ":").AppendLine(action.Url).AppendLine();
        }

        var labelWidth = facts.Count == 0 ? 0 : facts.Max(f => f.Label.Length) + 2;
        foreach (var fact in facts)
        {
            text.Append((fact.Label + ":").PadRight(labelWidth)).AppendLine(fact.Value);
        }

        text.AppendLine().AppendLine("— Ticketing");

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Encode(subject)).Append("</title></head>")
            .Append("<body style=\"margin:0;padding:24px;background:#f5f5f7;font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#1d1d1f;\">")
            .Append("<div style=\"max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px;\">")
            .Append("<h1 style=\"font-size:20px;margin:0 0 16px;\">").Append(Encode(heading)).Append("</h1>");
        foreach (var paragraph in paragraphs)
        {
            html.Append("<p style=\"font-size:15px;line-height:1.5;margin:0 0 12px;\">").Append(Encode(paragraph)).Append("</p>");
        }

        if (action is not null)
        {
            html.Append("<p style=\"margin:16px 0;\"><a href=\"").Append(Encode(action.Url))
                .Append("\" style=\"display:inline-block;background:#1d4ed8;color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:6px;font-size:15px;\">")
                .Append(Encode(action.Label)).Append("</a></p>")
                .Append("<p style=\"font-size:13px;color:#6e6e73;margin:0 0 12px;word-break:break-all;\">").Append(Encode(action.Url)).Append("</p>");
        }

        if (generatedHtml is not null)
        {
            html.Append("<div style=\"margin:16px 0;\">").Append(generatedHtml).Append("</div>");
        }

        if (facts.Count > 0)
        {
            html.Append("<table role=\"presentation\" style=\"border-collapse:collapse;margin:8px 0 16px;font-size:14px;\">");
            foreach (var fact in facts)
            {
                html.Append("<tr><td style=\"padding:4px 16px 4px 0;color:#6e6e73;white-space:nowrap;\">").Append(Encode(fact.Label))
                    .Append("</td><td style=\"padding:4px 0;\">").Append(Encode(fact.Value)).Append("</td></tr>");
            }

            html.Append("</table>");
        }

        html.Append("<p style=\"font-size:13px;color:#6e6e73;margin:16px 0 0;\">Ticketing</p></div></body></html>");
        return new OutgoingEmail(to, subject, text.ToString(), html.ToString());
    }

    /// <summary>An instant as an e-mail states it: the server cannot know the reader's time zone, so it says UTC.</summary>
    public static string FormatInstant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("ddd d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
