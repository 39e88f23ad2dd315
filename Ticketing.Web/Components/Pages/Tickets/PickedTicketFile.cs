using Microsoft.AspNetCore.Components.Forms;
using Ticketing.Domain.Delivery;

namespace Ticketing.Web.Components.Pages.Tickets;

/// <summary>A ticket file the seller picked, already checked by content, waiting to be attached.</summary>
public sealed record PickedTicketFile(string Name, TicketFileKind Kind, byte[] Content)
{
    public const string Accept = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg";

    /// <summary>
    /// Reads the picked file on the server (never more than the limit: the stream refuses a larger
    /// one) and checks its bytes; the problem in words otherwise.
    /// </summary>
    public static async Task<(PickedTicketFile? File, string? Problem)> ReadAsync(IBrowserFile file, CancellationToken cancellationToken = default)
    {
        if (file.Size > TicketFileCheck.MaxBytes)
        {
            return (null, TicketFileCheck.TooLargeMessage);
        }

        byte[] content;
        try
        {
            await using var stream = file.OpenReadStream(TicketFileCheck.MaxBytes, cancellationToken);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            content = buffer.ToArray();
        }
        catch (IOException)
        {
            return (null, "The file could not be read completely. Pick it again.");
        }

        return TicketFileCheck.Problem(content, out var kind) is { } problem
            ? (null, problem)
            : (new PickedTicketFile(file.Name, kind, content), null);
    }

    public string SizeText => Content.Length >= 1024 * 1024
        ? $"{Content.Length / (1024d * 1024):0.0} MB"
        : $"{Math.Max(1, Content.Length / 1024)} KB";
}
