using MimeKit;

namespace Ticketing.Infrastructure.Email;

/// <summary>
/// Where queued e-mails go: an SMTP server, or a pickup folder in development. A failure to open a
/// session, or any failure of a session other than <see cref="EmailRejectedException"/>, means the
/// server could not be reached: the e-mails wait and are tried again later.
/// </summary>
public interface IEmailTransport
{
    /// <summary>Where e-mails go, for the logs.</summary>
    string Name { get; }

    /// <summary>Opens one session for a batch of e-mails (one SMTP connection).</summary>
    Task<IEmailSession> OpenAsync(CancellationToken cancellationToken);
}

public interface IEmailSession : IAsyncDisposable
{
    /// <summary>Hands one message over; returns once the server has accepted it.</summary>
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>The server answered this one message with an error; the session itself is still usable.</summary>
/// <param name="Permanent">The recipient was refused for good (a 5xx to RCPT TO): trying again cannot help.</param>
public sealed class EmailRejectedException(string message, bool permanent, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;
}
