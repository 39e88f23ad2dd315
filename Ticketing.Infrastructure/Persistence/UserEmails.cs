using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// A row joined to its user's e-mail (left join: a deleted account leaves null). A class with
/// settable members, not a positional record, so that EF can follow a member back into the join.
/// </summary>
internal sealed class WithEmail<T>
{
    public required T Row { get; init; }

    public string? Email { get; init; }
}

internal static class UserEmails
{
    /// <summary>Each of <paramref name="rows"/> with the e-mail of the user <paramref name="userId"/> names, in one query.</summary>
    public static IQueryable<WithEmail<T>> WithEmailOf<T>(this IQueryable<T> rows, TicketingDbContext db, Expression<Func<T, Guid>> userId) =>
        rows.GroupJoin(db.Users.AsNoTracking(), userId, u => u.Id, (row, users) => new { row, users })
            .SelectMany(j => j.users.DefaultIfEmpty(), (j, u) => new WithEmail<T> { Row = j.row, Email = u == null ? null : u.Email });
}
