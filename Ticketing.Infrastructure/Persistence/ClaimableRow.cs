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
}
