using MimeKit;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>The app with its e-mail going to a real SMTP server in the test process, and users who have addresses.</summary>
internal static class Mailboxes
{
    public static TicketingApp AppSendingTo(SmtpSink sink, IDictionary<string, string?>? more = null, string? databasePath = null)
    {
        var settings = sink.Settings;
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new TicketingApp(settings: settings, databasePath: databasePath);
    }

    /// <summary>A user signed up through the API (so with an e-mail address); the sink then holds their welcome e-mail.</summary>
    public static async Task<(Guid Id, string Email)> NewUserAsync(this TicketingApp app, string name)
    {
        var (client, id, email) = await app.SignUpAsync($"{name}-{Guid.NewGuid():N}@example.com");
        client.Dispose();
        return (id, email);
    }

    public static string Text(this MimeMessage message) => message.TextBody ?? string.Empty;

    public static string Html(this MimeMessage message) => message.HtmlBody ?? string.Empty;

    public static string Recipient(this MimeMessage message) => message.To.Mailboxes.Single().Address;
}
