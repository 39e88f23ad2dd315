namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// A row that the app's instances work through together (an outbox message, a queued e-mail): one
/// instance claims it for a while, and a failed try is counted and its error kept for an admin.
/// </summary>
public abstract class ClaimableRow
{
    public const int MaxErrorLength = 2000;

    public const int MaxClaimantLength = 200;

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    /// <summary>The instance that claimed the row; it owns the row while <see cref="LockedUntil"/> is in the future.</summary>
    public string? LockedBy { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>An error as <see cref="LastError"/> keeps it: its first <see cref="MaxErrorLength"/> characters.</summary>
    public static string ErrorText(string error) => error.Length <= MaxErrorLength ? error : error[..MaxErrorLength];
}

/// <summary>A claimable row with the key its claims are made by.</summary>
public abstract class ClaimableRow<TKey> : ClaimableRow
    where TKey : struct
{
    public TKey Id { get; set; }
}

/// <summary>
/// How an instance claims a batch of rows that other instances may be claiming at the same moment:
/// it picks candidates, takes them with one conditional update (the same conditions as the pick, so
/// a row another instance took in between is not taken again), and keeps the rows the update gave it.
/// </summary>
public static class RowClaims
{
    /// <param name="claimable">The rows that may be claimed now: due, and not claimed by a live instance.</param>
    /// <param name="pending">The rows that still have work to do once claimed (not yet done meanwhile).</param>
    /// <param name="order">The order the batch is taken and handed back in.</param>
    public static async Task<List<TRow>> ClaimAsync<TRow, TKey>(
        IQueryable<TRow> claimable,
        IQueryable<TRow> pending,
        Func<IQueryable<TRow>, IOrderedQueryable<TRow>> order,
        int batchSize,
        string instance,
        DateTimeOffset until,
        CancellationToken cancellationToken)
        where TRow : ClaimableRow<TKey>
        where TKey : struct
    {
        var candidates = await order(claimable.AsNoTracking())
            .Select(m => m.Id)
            .Take(batchSize)
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return [];
        }

        await claimable
            .Where(m => candidates.Contains(m.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedBy, instance).SetProperty(m => m.LockedUntil, until), cancellationToken);
        return await order(pending.AsNoTracking().Where(m => candidates.Contains(m.Id) && m.LockedBy == instance))
            .ToListAsync(cancellationToken);
    }
}
