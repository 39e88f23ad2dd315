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
/// A buyer's first reservation makes their gate row and reads it back; deleting the account removes
/// the row. A deletion that lands between the two is a refused reservation (401), never a 500.
/// </summary>
public sealed class GateRemovedByDeletionTests
{
    [Fact]
    public async Task AnAccountDeletedBetweenItsGateBeingMadeAndRead_IsRefused_AndKeepsNothingLive()
    {
        var deleteAfterGateInsert = new DeleteAfterGateInsert();
        await using var app = new TicketingApp();
        var services = app.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.ConfigureDbContext<SqliteTicketingDbContext>(o => o.AddInterceptors(deleteAfterGateInsert)))).Services;
        var (_, buyerId, _) = await app.SignUpAsync();
        var ticketId = (await services.ListTicketAsync(Guid.NewGuid())).Id;
        deleteAfterGateInsert.Arm(services, buyerId);

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

    /// <summary>Deletes the armed account right after its gate row is inserted, before the reservation reads it.</summary>
    private sealed class DeleteAfterGateInsert : DbCommandInterceptor
    {
        private IServiceProvider? _services;
        private Guid _accountId;

        public bool Deleted { get; private set; }

        public void Arm(IServiceProvider services, Guid accountId) => (_services, _accountId) = (services, accountId);

        public override async ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            if (_services is { } services && command.CommandText.StartsWith("INSERT INTO buyer_reservation_gates", StringComparison.Ordinal))
            {
                _services = null;
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AccountDeletion>().DeleteAsync(_accountId, cancellationToken);
                Deleted = true;
            }

            return result;
        }
    }
}
