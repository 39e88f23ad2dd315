using System.Data;
using Microsoft.AspNetCore.Identity;
using Ticketing.Domain.Identity;

namespace Ticketing.Infrastructure.Identity;

/// <summary>
/// Deletes an account, in one transaction: the account's mark (<see cref="ClosedAccount"/>), its
/// records handed over (<see cref="AccountRecords"/>), then the Identity rows themselves (claims,
/// logins, tokens, roles go with the user). Refused while a charge for one of its orders is in flight
/// or a buyer holds one of its tickets, and for administrators. Serializable, so that a reservation
/// or listing of the account committed meanwhile is either seen here or sees the mark
/// (<see cref="ClosedAccounts"/>); a payment's claim and this cancel meet on the order's token.
/// </summary>
[Scoped]
public sealed partial class AccountDeletion(
    TicketingDbContext db,
    UserManager<AppUser> users,
    OutboxSignal outbox,
    TimeProvider clock,
    ILogger<AccountDeletion> logger)
{
    private const int MaxAttempts = 5;

    public async Task DeleteAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            try
            {
                // On SQLite this is BEGIN IMMEDIATE: the write lock from the first statement on.
                await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
                var user = await users.FindByIdAsync(userId.ToString()) ?? throw new NotFoundException("Account not found");
                if (await users.IsInRoleAsync(user, Roles.Admin))
                {
                    throw new BusinessRuleViolationException(new AdministratorMustNotDeleteOwnAccountRule(isAdministrator: true));
                }

                var now = clock.GetUtcNow();
                db.Add(new ClosedAccount { Key = ClosedAccount.KeyOf(userId), ClosedAt = now });
                await db.SaveChangesAsync(cancellationToken);
                await AccountRecords.ForgetAsync(db, userId, user.Email, now, cancellationToken);

                var deleted = await users.DeleteAsync(user);
                if (!deleted.Succeeded)
                {
                    // Identity reports a concurrent change of the user row as a result, not an exception.
                    throw new DbUpdateConcurrencyException(string.Join("; ", deleted.Errors.Select(e => e.Description)));
                }

                await transaction.CommitAsync(cancellationToken);
                outbox.Notify();
                LogDeleted(userId);
                return;
            }
            catch (DbUpdateException) when (attempt < MaxAttempts)
            {
                // An order or listing of the account changed under us (a payment's claim, the expiry,
                // a buyer's reservation): decide again on what is there now.
                LogRetrying(userId, attempt);
            }
            catch (DbUpdateException ex)
            {
                LogGaveUp(ex, userId, attempt);
                throw new BusinessRuleViolationException(new AccountMustHaveNoPaymentInProgressRule(paymentInProgress: true));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {UserId} deleted; its orders and listings are kept as the deleted account's")]
    private partial void LogDeleted(Guid userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleting account {UserId} met a concurrent change (attempt {Attempt}); deciding again")]
    private partial void LogRetrying(Guid userId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting account {UserId} met a concurrent change {Attempts} times in a row; refused for now")]
    private partial void LogGaveUp(Exception ex, Guid userId, int attempts);
}
