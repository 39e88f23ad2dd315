using System.Data.Common;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Common;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Concurrency;

/// <summary>
/// A buyer's first reservation makes their gate row under the write lock, after the request found
/// its ticket free; deleting the account removes the row. A deletion that lands while the
/// reservation waits for its group commit is a refused reservation (401), never a 500, and leaves
/// neither an order of the account nor a gate row nor a locked ticket.
/// </summary>
public sealed class GateRemovedByDeletionTests
{
    [Fact]
    public async Task AnAccountDeletedWhileItsFirstReservationIsQueued_IsRefused_AndKeepsNothingLive()
    {
        var deleteAfterGateInsert = new DeleteAfterTicketRead();
        await using var app = new TicketingApp();
        var services = app.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.ConfigureDbContext<SqliteTicketingDbContext>(o => o.AddInterceptors(deleteAfterGateInsert)))).Services;
        var (_, buyerId, _) = await app.SignUpAsync();
        var ticketId = (await services.ListTicketAsync(Guid.NewGuid())).Id;
        deleteAfterGateInsert.Arm(services, buyerId, ticketId);

        await using var scope = services.CreateAsyncScope();
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            scope.ServiceProvider.GetRequiredService<TicketOrders>().ReserveAsync(new Actor(buyerId), ticketId));

        Assert.True(deleteAfterGateInsert.Deleted);
        await using var db = services.OpenDb();
        Assert.True(await ClosedAccounts.IsClosedAsync(db, buyerId, CancellationToken.None));
        Assert.False(await db.Orders.AnyAsync(o => o.BuyerId == buyerId));
        Assert.False(await db.Set<BuyerReservationGate>().AnyAsync(g => g.BuyerId == buyerId));
        Assert.Equal(Domain.Tickets.TicketStatus.Available, (await services.ReadTicketAsync(ticketId)).Status);
    }

    /// <summary>Deletes the armed account right after the reservation's request has read the ticket, before it is written.</summary>
    private sealed class DeleteAfterTicketRead : DbCommandInterceptor
    {
        private IServiceProvider? _services;
        private Guid _accountId;
        private Guid _ticketId;

        public bool Deleted { get; private set; }

        public void Arm(IServiceProvider services, Guid accountId, Guid ticketId) => (_services, _accountId, _ticketId) = (services, accountId, ticketId);

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            if (_services is { } services
                && command.Transaction is null
                && command.CommandText.Contains("FROM \"tickets\"", StringComparison.Ordinal)
                && command.Parameters.Cast<DbParameter>().Any(IsTheTicket))
            {
                _services = null;
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AccountDeletion>().DeleteAsync(_accountId, cancellationToken);
                Deleted = true;
            }

            return result;
        }

        private bool IsTheTicket(DbParameter parameter) =>
            (parameter.Value is Guid id || (parameter.Value is string text && Guid.TryParse(text, out id))) && id == _ticketId;
    }
}
