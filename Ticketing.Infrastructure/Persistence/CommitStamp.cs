namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// A cheap reading that tells whether anything has been committed to the database since an earlier
/// reading, by this process or any other instance on the same database (on SQL Server: to a table
/// with a rowversion column, as tickets and orders have). Two equal readings mean no such commit in
/// between; <c>null</c> means the provider cannot tell right now, and counts as a change.
/// Read it <em>before</em> the query whose result it guards: a commit racing that query then shows
/// as a changed stamp later, never as a stale result kept under the new stamp.
/// </summary>
public abstract class CommitStamp
{
    public abstract ValueTask<long?> ReadAsync(CancellationToken cancellationToken = default);
}
