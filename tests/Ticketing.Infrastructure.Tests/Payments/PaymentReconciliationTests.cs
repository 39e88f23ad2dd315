using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Payments;

/// <summary>
/// A charge whose outcome a request could not record (the database failed, the process stopped,
/// the provider's answer was lost) is found by the reconciliation job and settled within a bounded
/// time: applied, refunded, or the order freed when no money moved.
/// </summary>
public sealed class PaymentReconciliationTests
{
    /// <summary>Settled one to two seconds after the charge started.</summary>
    private static readonly Dictionary<string, string?> FastReconciliation = new()
    {
        ["Payments:ReconcileAfterSeconds"] = "1",
        ["Payments:ReconcileIntervalSeconds"] = "1",
    };

    [Fact]
    public async Task Charge_WhoseSaveFailed_IsAppliedByTheJob()
    {
        var gateway = new CountingGateway();
        var database = new FailingPaymentInsert();
        await using var app = new TicketingApp(settings: FastReconciliation, services: s =>
        {
            gateway.Install(s);
            s.ConfigureDbContext<SqliteTicketingDbContext>(o => o.AddInterceptors(database));
        });
        var buyer = Guid.NewGuid();
        var ticket = await app.Services.ListTicketAsync(Guid.NewGuid(), 35m);
        var order = await app.Services.ReserveAsync(buyer, ticket.Id);
        // Down for every try the request makes.
        database.FailNext(3);

        var result = await app.Services.PayAsync(buyer, order.Id, "tok_visa");

        Assert.Equal(PaymentOutcome.Unconfirmed, result.Outcome);
        Assert.True(database.Failed);
        var settled = await WaitForStatusAsync(app.Services, order.Id, OrderStatus.Complete);
        Assert.Equal(PaymentAttemptState.None, settled.PaymentAttempt);
        Assert.Equal(TicketStatus.Sold, (await app.Services.ReadTicketAsync(ticket.Id)).Status);
        await using var db = app.Services.OpenDb();
        var payment = await db.Payments.AsNoTracking().SingleAsync();
        Assert.Equal((order.Id, PaymentStatus.Succeeded, 3_500L, result.ProviderReference), (payment.OrderId, payment.Status, payment.AmountMinor, (string?)payment.ProviderReference));
        Assert.Equal(1, gateway.Charges);
    }

    [Fact]
    public async Task Charge_WhoseAnswerWasLostBeforeAStop_IsAppliedAfterTheRestart()
    {
        // The provider outlives the process: one test gateway behind both hosts.
        var provider = new TestPaymentGateway();
        var path = TicketingApp.NewDatabasePath();
        try
        {
            Guid orderId, ticketId;
            var first = new CountingGateway();
            await using (var app = new TicketingApp(databasePath: path, services: s =>
            {
                s.AddSingleton(provider);
                first.Install(s);
            }))
            {
                var buyer = Guid.NewGuid();
                ticketId = (await app.Services.ListTicketAsync(Guid.NewGuid(), 35m)).Id;
                orderId = (await app.Services.ReserveAsync(buyer, ticketId)).Id;
                first.LoseTheAnswerOfTheNextCharge(new HttpRequestException("The connection was reset."));

                Assert.Equal(PaymentOutcome.Unconfirmed, (await app.Services.PayAsync(buyer, orderId, "tok_visa")).Outcome);
                Assert.True((await app.Services.ReadOrderAsync(orderId)).IsCharging);
            }

            await using var restarted = new TicketingApp(settings: FastReconciliation, databasePath: path, services: s => s.AddSingleton(provider));
            await WaitForStatusAsync(restarted.Services, orderId, OrderStatus.Complete);
            Assert.Equal(TicketStatus.Sold, (await restarted.Services.ReadTicketAsync(ticketId)).Status);
            await using var db = restarted.Services.OpenDb();
            Assert.Equal(PaymentStatus.Succeeded, (await db.Payments.AsNoTracking().SingleAsync()).Status);
        }
        finally
        {
            TicketingApp.DeleteDatabase(path);
        }
    }

    [Fact]
    public async Task Charge_ThatNeverReachedTheProvider_FreesTheOrderAgain()
    {
        var gateway = new CountingGateway();
        await using var app = new TicketingApp(settings: FastReconciliation, services: gateway.Install);
        var buyer = Guid.NewGuid();
        var ticket = await app.Services.ListTicketAsync(Guid.NewGuid(), 35m);
        var order = await app.Services.ReserveAsync(buyer, ticket.Id);
        gateway.FailTheNextChargeBeforeTheProvider(new TaskCanceledException("The request timed out."));

        Assert.Equal(PaymentOutcome.Unconfirmed, (await app.Services.PayAsync(buyer, order.Id, "tok_visa")).Outcome);

        var freed = await WaitForStatusAsync(app.Services, order.Id, OrderStatus.Created);
        Assert.Equal(PaymentAttemptState.None, freed.PaymentAttempt);
        Assert.Equal(TicketStatus.Reserved, (await app.Services.ReadTicketAsync(ticket.Id)).Status);
        Assert.Equal(PaymentOutcome.Completed, (await app.Services.PayAsync(buyer, order.Id, "tok_visa")).Outcome);
    }

    [Fact]
    public async Task Charge_ThatNeverReachedTheProvider_PastTheWindow_ExpiresTheOrder()
    {
        var gateway = new CountingGateway();
        await using var app = new TicketingApp(
            settings: new Dictionary<string, string?>(FastReconciliation) { ["Ordering:ReservationSeconds"] = "2" },
            services: gateway.Install);
        var buyer = Guid.NewGuid();
        var ticket = await app.Services.ListTicketAsync(Guid.NewGuid(), 35m);
        var order = await app.Services.ReserveAsync(buyer, ticket.Id);
        gateway.FailTheNextChargeBeforeTheProvider(new TaskCanceledException("The request timed out."));
        var hold = gateway.HoldCharges();
        var paying = Task.Run(() => app.Services.PayAsync(buyer, order.Id, "tok_visa"));
        await hold.Entered.WaitAsync(TimeSpan.FromSeconds(15));
        await Task.Delay(order.ExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200));
        hold.Release();
        Assert.Equal(PaymentOutcome.Unconfirmed, (await paying).Outcome);

        var expired = await WaitForStatusAsync(app.Services, order.Id, OrderStatus.Cancelled);

        Assert.Equal(CancellationReason.Expired, expired.CancellationReason);
        Assert.Equal(TicketStatus.Available, (await app.Services.ReadTicketAsync(ticket.Id)).Status);
    }

    [Fact]
    public async Task Refund_RecordedButNotMade_IsMadeByTheJob()
    {
        var gateway = new CountingGateway();
        await using var app = new TicketingApp(settings: FastReconciliation, services: gateway.Install);
        var buyer = Guid.NewGuid();
        var ticket = await app.Services.ListTicketAsync(Guid.NewGuid(), 35m);
        var order = await app.Services.ReserveAsync(buyer, ticket.Id);
        await app.Services.CancelAsync(buyer, order.Id);
        var reference = await app.Services.ChargeAtTheProviderAsync(order.Id, 3_500);
        gateway.FailTheNextRefund(new HttpRequestException("The provider is down."));

        var result = await app.Services.ApplyPaymentAsync(order.Id, reference, 3_500);

        Assert.Equal((PaymentOutcome.Refunded, (RefundReason?)RefundReason.OrderCancelled), (result.Outcome, result.RefundReason));
        await TicketingApp.WaitUntilAsync(
            async () =>
            {
                await using var db = app.Services.OpenDb();
                return await db.Payments.AnyAsync(p => p.ProviderReference == reference && p.Status == PaymentStatus.Refunded);
            },
            // The job runs every second; the bound is for a CI machine running every project at once.
            TimeSpan.FromSeconds(45),
            "the job made the refund owed");
        Assert.Equal(2, gateway.RefundRequests.Count);
        Assert.Single(gateway.RefundRequests.Select(r => r.IdempotencyKey).Distinct());
        Assert.Equal(OrderStatus.Cancelled, (await app.Services.ReadOrderAsync(order.Id)).Status);
    }

    private static async Task<Order> WaitForStatusAsync(IServiceProvider services, Guid orderId, OrderStatus status)
    {
        Order? order = null;
        await TicketingApp.WaitUntilAsync(
            async () => (order = await services.ReadOrderAsync(orderId)).Status == status,
            TimeSpan.FromSeconds(45),
            $"order {orderId} is {status}");
        return order!;
    }

    /// <summary>The database refuses the next payment row once, as a database that went away would.</summary>
    private sealed class FailingPaymentInsert : DbCommandInterceptor
    {
        private int _armed;
        private int _failed;

        public bool Failed => Volatile.Read(ref _failed) > 0;

        public void FailNext(int times) => Volatile.Write(ref _armed, times);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            FailIfArmed(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            FailIfArmed(command);
            return ValueTask.FromResult(result);
        }

        private void FailIfArmed(DbCommand command)
        {
            if (command.CommandText.Contains("INSERT INTO \"payments\"", StringComparison.Ordinal) && Interlocked.Decrement(ref _armed) >= 0)
            {
                Interlocked.Increment(ref _failed);
                throw new InvalidOperationException("The database is unavailable.");
            }
        }
    }
}
