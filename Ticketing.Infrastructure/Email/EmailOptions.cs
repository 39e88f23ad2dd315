using MailKit.Security;

namespace Ticketing.Infrastructure.Email;

/// <summary>
/// Bound from the <c>Email</c> section. With <c>Email:Smtp:Host</c> set, e-mails go to that SMTP
/// server; without it they are written as <c>.eml</c> files to <see cref="PickupDirectory"/>, so that
/// development needs no mail server.
/// </summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Where e-mails are written when no SMTP host is set; relative to the app's folder.</summary>
    public string PickupDirectory { get; set; } = Path.Combine("App_Data", "mail");

    /// <summary>The longest wait between two tries of an e-mail, or of an unreachable server.</summary>
    public int MaxRetryDelaySeconds { get; set; } = 300;

    public bool UseSmtp => !string.IsNullOrWhiteSpace(Smtp.Host);

    public TimeSpan MaxRetryDelay => TimeSpan.FromSeconds(Math.Max(1, MaxRetryDelaySeconds));
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>
    /// <c>Auto</c> (TLS on port 465, STARTTLS when the server offers it), <c>StartTls</c> (required),
    /// <c>SslOnConnect</c>, or <c>None</c> (a local relay or test server only).
    /// </summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    /// <summary>Empty: no authentication.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender, e.g. <c>Ticketing &lt;no-reply@example.com&gt;</c>.</summary>
    public string From { get; set; } = "Ticketing <no-reply@ticketing.local>";

    /// <summary>How long one connect, command or message may take before the server counts as unreachable.</summary>
    public int TimeoutSeconds { get; set; } = 30;
}
