namespace Ticketing.Infrastructure.Delivery;

/// <summary>
/// Keeps ticket files' bytes under keys that only this app hands out. Bytes are written before the
/// save that makes the metadata point at them, and deleted after the save that stops pointing at
/// them: a crash in between leaves an unreferenced blob, never metadata without its file.
/// </summary>
public interface ITicketFileStore
{
    /// <summary>Writes the bytes; the database store stages them on <paramref name="db"/>, to commit with its next save.</summary>
    Task WriteAsync(TicketingDbContext db, string key, byte[] content, CancellationToken cancellationToken);

    Task<byte[]?> ReadAsync(TicketingDbContext db, string key, CancellationToken cancellationToken);

    /// <summary>Deletes the bytes at once; call it after the commit that stopped referring to them.</summary>
    Task DeleteAsync(TicketingDbContext db, string key, CancellationToken cancellationToken);
}

/// <summary>A ticket file's bytes in the database (the default store).</summary>
public sealed class StoredTicketFile
{
    public required string Key { get; init; }

    public required byte[] Content { get; init; }
}

internal sealed class DatabaseTicketFileStore : ITicketFileStore
{
    public Task WriteAsync(TicketingDbContext db, string key, byte[] content, CancellationToken cancellationToken)
    {
        db.Set<StoredTicketFile>().Add(new StoredTicketFile { Key = key, Content = content });
        return Task.CompletedTask;
    }

    public Task<byte[]?> ReadAsync(TicketingDbContext db, string key, CancellationToken cancellationToken) =>
        db.Set<StoredTicketFile>().AsNoTracking().Where(f => f.Key == key).Select(f => f.Content).FirstOrDefaultAsync(cancellationToken);

    public Task DeleteAsync(TicketingDbContext db, string key, CancellationToken cancellationToken) =>
        db.Set<StoredTicketFile>().Where(f => f.Key == key).ExecuteDeleteAsync(cancellationToken);
}

/// <summary>Ticket files as files in <c>Storage:Folder</c>, which must be outside the web root.</summary>
internal sealed class FolderTicketFileStore(StorageSettings settings) : ITicketFileStore
{
    public async Task WriteAsync(TicketingDbContext db, string key, byte[] content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".part";
        await File.WriteAllBytesAsync(temporary, content, cancellationToken);

        // A reader never sees half a file: the name appears only once the bytes are all there.
        File.Move(temporary, path, overwrite: true);
    }

    public async Task<byte[]?> ReadAsync(TicketingDbContext db, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(key), cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task DeleteAsync(TicketingDbContext db, string key, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    /// <summary>Keys are 32 hex digits made here; anything else never reaches the file system.</summary>
    private string PathOf(string key) =>
        key.Length == 32 && key.All(char.IsAsciiHexDigitLower)
            ? Path.Combine(settings.Folder, key[..2], key)
            : throw new ArgumentException("Not a ticket file key.", nameof(key));
}
