using System.Data;

namespace Ticketing.Infrastructure.Identity;

/// <summary>
/// The check a reservation or a new listing makes after it committed: if its account was deleted
/// meanwhile (a request already under way when the owner pressed Delete), what it wrote is handed to
/// the deleted account at once, as the deletion would have done, and the request is refused. The
/// deletion's transaction is serializable and writes the mark first, so a row it did not see was
/// committed after the mark and finds it here.
/// </summary>
[Singleton]
public sealed partial class ClosedAccounts(
    IDbContextFactory<TicketingDbContext> contexts,
    OutboxSignal outbox,
    TimeProvider clock,
    ILogger<ClosedAccounts> logger)
{
    public static Task<bool> IsClosedAsync(TicketingDbContext db, Guid accountId, CancellationToken cancellationToken) =>
        Marked(db, ClosedAccount.KeyOf(accountId), cancellationToken);

    // Compiled once: every reservation and every new listing asks, and translating the LINQ each time
    // cost more CPU than running the SQL.
    private static readonly Func<TicketingDbContext, string, CancellationToken, Task<bool>> Marked =
        EF.CompileAsyncQuery((TicketingDbContext db, string key, CancellationToken _) =>
            db.Set<ClosedAccount>().Any(a => a.Key == key));

    /// <summary>Refuses (401) an account that is gone, after forgetting what its request just wrote.</summary>
    public async Task ThrowIfClosedAsync(Guid accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await IsClosedAsync(db, accountId, cancellationToken))
        {
            return;
        }

        LogLateRequest(accountId);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, CancellationToken.None);
            await AccountRecords.ForgetAsync(db, accountId, email: null, clock.GetUtcNow(), CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
            outbox.Notify();
        }
        catch (Exception ex) when (ex is DbUpdateException or DomainException)
        {
            LogForgetFailed(ex, accountId);
        }

        throw new AccessDeniedException();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A request of deleted account {UserId} committed after the deletion; its rows are handed to the deleted account")]
    private partial void LogLateRequest(Guid userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The rows a request of deleted account {UserId} wrote could not be handed over")]
    private partial void LogForgetFailed(Exception ex, Guid userId);
}
