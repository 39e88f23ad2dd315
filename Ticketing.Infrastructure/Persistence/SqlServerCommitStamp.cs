using Microsoft.Data.SqlClient;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// Every write to a table with a <c>rowversion</c> column (tickets, orders) takes the next value of
/// <c>@@DBTS</c>. <c>MIN_ACTIVE_ROWVERSION()</c> alone is not enough: it stays on the oldest
/// transaction still in flight while younger ones commit. So a reading counts only when no such
/// transaction is in flight (the minimum active value is the next one to be handed out), and is
/// then <c>@@DBTS</c>: equal quiet readings mean no rowversion was handed out, so nothing committed.
/// Hard deletes take no rowversion; the app never deletes tickets or orders.
/// </summary>
internal sealed class SqlServerCommitStamp(DatabaseSettings settings) : CommitStamp
{
    // @@DBTS read once: the value returned must be the one compared, or a write handed out between
    // two reads could be stamped as if it had committed before the query.
    private const string Query = """
        DECLARE @last bigint = CAST(@@DBTS AS bigint);
        SELECT CASE WHEN CAST(MIN_ACTIVE_ROWVERSION() AS bigint) = @last + 1 THEN @last END;
        """;

    public override async ValueTask<long?> ReadAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new SqlConnection(settings.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new SqlCommand(Query, connection);
        return await command.ExecuteScalarAsync(cancellationToken) as long?;
    }
}
