namespace Ticketing.Infrastructure.Delivery;

/// <summary>Bound from the <c>Delivery</c> section.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>How long a seller whose listing had no file has after the sale to attach it.</summary>
    public int SellerSendsWithinHours { get; set; } = 48;

    public TimeSpan SellerWindow => TimeSpan.FromHours(SellerSendsWithinHours);
}

public enum TicketFileStorage
{
    Database,
    Folder,
}

/// <summary>
/// Bound from the <c>Storage</c> section: where ticket files are kept. The database by default (one
/// thing to back up, shared by every instance); a folder outside the web root when set.
/// </summary>
public sealed record StorageSettings(TicketFileStorage Provider, string Folder)
{
    public static StorageSettings From(Microsoft.Extensions.Configuration.IConfiguration configuration, string contentRoot)
    {
        var provider = configuration.GetChoice("Storage:Provider", TicketFileStorage.Database);
        var folder = configuration["Storage:Folder"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, contentRoot)
            : Path.Combine(contentRoot, "App_Data", "ticket-files");
        var webRoot = Path.GetFullPath(Path.Combine(contentRoot, "wwwroot")) + Path.DirectorySeparatorChar;
        if (provider == TicketFileStorage.Folder && (folder + Path.DirectorySeparatorChar).StartsWith(webRoot, StringComparison.Ordinal))
        {
            throw new InvalidSettingException("Storage:Folder must be outside the web root (wwwroot): ticket files are never served as static files.");
        }

        return new StorageSettings(provider, folder);
    }
}
