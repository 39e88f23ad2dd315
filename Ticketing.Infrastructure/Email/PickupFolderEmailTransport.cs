using Microsoft.Extensions.Hosting;
using MimeKit;

namespace Ticketing.Infrastructure.Email;

/// <summary>
/// Development without a mail server: each e-mail is written to the pickup folder as a <c>.eml</c>
/// file (open it with any mail client) and logged. A file is named after the message id, so an
/// e-mail written twice is still one file.
/// </summary>
public sealed partial class PickupFolderEmailTransport(IOptions<EmailOptions> options, IHostEnvironment environment, ILogger<PickupFolderEmailTransport> logger)
    : IEmailTransport
{
    public string Folder => Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.PickupDirectory));

    public string Name => Folder;

    public Task<IEmailSession> OpenAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        return Task.FromResult<IEmailSession>(new Session(this));
    }

    private async Task WriteAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var id = message.MessageId ?? throw new InvalidOperationException("A queued e-mail always has a message id.");
        var path = Path.Combine(Folder, $"{message.Date.UtcDateTime:yyyyMMdd-HHmmss}-{id.Split('@')[0]}.eml");

        // Written aside and moved into place: a reader of the folder never sees half a message.
        var partial = path + ".partial";
        await message.WriteToAsync(partial, cancellationToken);
        File.Move(partial, path, overwrite: true);
        LogWritten(message.To.ToString(), message.Subject ?? string.Empty, path);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "E-mail to {Recipient} \"{Subject}\" written to {Path}")]
    private partial void LogWritten(string recipient, string subject, string path);

    private sealed class Session(PickupFolderEmailTransport transport) : IEmailSession
    {
        public Task SendAsync(MimeMessage message, CancellationToken cancellationToken) => transport.WriteAsync(message, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
