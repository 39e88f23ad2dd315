using MailKit.Net.Smtp;
using MimeKit;

namespace Ticketing.Infrastructure.Email;

/// <summary>E-mails through an SMTP server with MailKit (<c>Email:Smtp:*</c>).</summary>
public sealed class SmtpEmailTransport(IOptions<EmailOptions> options) : IEmailTransport
{
    public string Name => $"smtp://{options.Value.Smtp.Host}:{options.Value.Smtp.Port}";

    public async Task<IEmailSession> OpenAsync(CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        var host = smtp.Host ?? throw new InvalidOperationException("Email:Smtp:Host is not set.");
        var client = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(Math.Max(1, smtp.TimeoutSeconds)).TotalMilliseconds };
        try
        {
            await client.ConnectAsync(host, smtp.Port, smtp.Security, cancellationToken);
            if (!string.IsNullOrEmpty(smtp.UserName))
            {
                await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? string.Empty, cancellationToken);
            }

            return new Session(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private sealed class Session(SmtpClient client) : IEmailSession
    {
        public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            try
            {
                await client.SendAsync(message, cancellationToken);
            }
            catch (SmtpCommandException ex) when (client.IsConnected)
            {
                // The server refused this message and the connection stands; MailKit has reset the
                // transaction, so the next message can go on the same session.
                var permanent = ex.ErrorCode == SmtpErrorCode.RecipientNotAccepted && (int)ex.StatusCode >= 500;
                throw new EmailRejectedException($"{(int)ex.StatusCode} {ex.Message}", permanent, ex);
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(quit: true, CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or MailKit.ProtocolException or OperationCanceledException)
            {
                // Every message of the session has been answered; a failed QUIT loses nothing.
            }
            finally
            {
                client.Dispose();
            }
        }
    }
}
