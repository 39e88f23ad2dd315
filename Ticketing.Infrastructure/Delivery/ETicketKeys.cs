using System.Security.Cryptography;

namespace Ticketing.Infrastructure.Delivery;

/// <summary>A secret the app made for itself, kept in the shared database so that every instance signs alike.</summary>
public sealed class SigningKey
{
    public required string Name { get; init; }

    public required byte[] Secret { get; init; }
}

/// <summary>
/// The key that signs e-ticket codes. Made on first use (256 random bits) and kept in the database
/// with the Data Protection keys: every instance, and every restart, reads the same one.
/// </summary>
public sealed class ETicketKeys(IDbContextFactory<TicketingDbContext> contexts)
{
    public const string Name = "e-ticket-codes";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[]? _key;

    public async Task<byte[]> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_key is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _key ??= await LoadOrCreateAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<byte[]> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var keys = db.Set<SigningKey>();
        if (await keys.AsNoTracking().FirstOrDefaultAsync(k => k.Name == Name, cancellationToken) is { } stored)
        {
            return stored.Secret;
        }

        // Instances starting together may both get here: one insert wins, and both read the winner's key.
        var secret = RandomNumberGenerator.GetBytes(32);
        if (db is SqlServerTicketingDbContext)
        {
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO signing_keys (Name, Secret) SELECT {Name}, {secret} WHERE NOT EXISTS (SELECT 1 FROM signing_keys WITH (UPDLOCK, HOLDLOCK) WHERE Name = {Name})",
                cancellationToken);
        }
        else
        {
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO signing_keys (Name, Secret) SELECT {Name}, {secret} WHERE NOT EXISTS (SELECT 1 FROM signing_keys WHERE Name = {Name})",
                cancellationToken);
        }

        return await keys.AsNoTracking().Where(k => k.Name == Name).Select(k => k.Secret).FirstAsync(cancellationToken);
    }
}
