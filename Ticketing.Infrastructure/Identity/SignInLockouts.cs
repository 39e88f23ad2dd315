using Microsoft.AspNetCore.Identity;

namespace Ticketing.Infrastructure.Identity;

/// <summary>Consecutive failed sign-ins to one account from one client address, and the lock they led to.</summary>
public sealed class SignInLockout
{
    public const int MaxClientLength = 64;

    public Guid UserId { get; set; }

    /// <summary>The client's IP address as the app sees it (the real client behind a known proxy).</summary>
    public required string Client { get; set; }

    public int FailedCount { get; set; }

    public DateTimeOffset LastFailureAt { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }
}

/// <summary>
/// Locks an account after repeated failed sign-ins, per account <em>and</em> client address: five
/// wrong passwords from one address lock that address out of that account for five minutes (Identity's
/// lockout settings), while the owner signing in from anywhere else is not affected. Identity's own
/// lockout is per account only, so anyone who knew the admin's email could keep the admin locked out.
/// Kept in the database, so that every instance counts the same failures.
/// </summary>
[Singleton]
public sealed class SignInLockouts(IDbContextFactory<TicketingDbContext> contexts, TimeProvider clock, IOptions<IdentityOptions> identity)
{
    private int MaxFailures => identity.Value.Lockout.MaxFailedAccessAttempts;

    private TimeSpan LockFor => identity.Value.Lockout.DefaultLockoutTimeSpan;

    public async Task<bool> IsLockedOutAsync(Guid userId, string client, CancellationToken cancellationToken = default)
    {
        client = Normalize(client);
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<SignInLockout>().AsNoTracking()
            .AnyAsync(l => l.UserId == userId && l.Client == client && l.LockedUntil > now, cancellationToken);
    }

    /// <summary>Counts one failure; the one that reaches the limit starts the lock and clears the count.</summary>
    public async Task RecordFailureAsync(Guid userId, string client, CancellationToken cancellationToken = default)
    {
        client = Normalize(client);
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = db.Set<SignInLockout>().Where(l => l.UserId == userId && l.Client == client);

        // One statement each, so that failures arriving at once from one client are all counted.
        var counted = await rows.ExecuteUpdateAsync(s => s
            .SetProperty(l => l.FailedCount, l => l.FailedCount + 1)
            .SetProperty(l => l.LastFailureAt, now), cancellationToken);
        if (counted == 0)
        {
            db.Add(new SignInLockout { UserId = userId, Client = client, FailedCount = 1, LastFailureAt = now });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another failure from the same client created the row first: count on it.
                db.ChangeTracker.Clear();
                await rows.ExecuteUpdateAsync(s => s
                    .SetProperty(l => l.FailedCount, l => l.FailedCount + 1)
                    .SetProperty(l => l.LastFailureAt, now), cancellationToken);
            }
        }

        var lockedUntil = now + LockFor;
        await rows.Where(l => l.FailedCount >= MaxFailures)
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.FailedCount, 0)
                .SetProperty(l => l.LockedUntil, lockedUntil), cancellationToken);
    }

    /// <summary>A successful sign-in from a client clears its count for the account.</summary>
    public async Task ResetAsync(Guid userId, string client, CancellationToken cancellationToken = default)
    {
        client = Normalize(client);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Set<SignInLockout>().Where(l => l.UserId == userId && l.Client == client).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Clears the account's counts and locks from every client (its password was just reset).</summary>
    public async Task ForgetAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Set<SignInLockout>().Where(l => l.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Rows whose last failure is older than <paramref name="age"/> and that hold no lock any more.</summary>
    public async Task<int> PruneAsync(TimeSpan age, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var before = now - age;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<SignInLockout>()
            .Where(l => l.LastFailureAt < before && (l.LockedUntil == null || l.LockedUntil < now))
            .ExecuteDeleteAsync(cancellationToken);
    }

    private static string Normalize(string client) =>
        client.Length <= SignInLockout.MaxClientLength ? client : client[..SignInLockout.MaxClientLength];
}
