using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Payments;

/// <summary>
/// The provider confirms two different payments of one order at the same moment (two PaymentIntents,
/// each webhook delivered while the other is being applied): one completes the order, the other is
/// owed back, and the race the loser lost (both saves insert the order's e-ticket) is a normal
/// outcome, which EF Core does not log as an error with its stack trace.
/// </summary>
public sealed class TwoProviderPaymentsOfOneOrderTests
{
    private const decimal Price = 25m;
    private static readonly long AmountMinor = Money.ToMinorUnits(Price);

    [Fact]
    public async Task AppliedAtOnce_OneCompletesTheOrder_TheOtherIsRefunded_AndNothingIsLoggedAsAnError()
    {
        var logs = new LogCapture();
        await using var app = new TicketingApp();
        var services = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<ILoggerProvider>(logs))).Services;
        var ticket = await services.ListTicketAsync(Guid.NewGuid(), Price);
        var order = await services.ReserveAsync(Guid.NewGuid(), ticket.Id);
        // The webhook's references; the built-in gateway keeps one payment per order, as Stripe's one
        // PaymentIntent per order does, so the second one is only ever seen here.
        var references = new[] { $"pi_{order.Id:N}_first", $"pi_{order.Id:N}_second" };

        Task<Outcome<PaymentResult>[]> race;
        using (SqliteWriteLock.Take(app.DatabasePath))
        {
            // Both read the live order, and neither finds the other's payment, before either can write.
            race = Race.RunAsync<PaymentResult>([.. references.Select(r => (Func<Task<PaymentResult>>)(() => services.ApplyPaymentAsync(order.Id, r, AmountMinor)))]);
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        var outcomes = await race;

        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Error?.ToString()));
        Assert.Equal([PaymentOutcome.Completed, PaymentOutcome.Refunded], outcomes.Select(o => o.Value!.Outcome).Order());
        Assert.Equal(OrderStatus.Complete, (await services.ReadOrderAsync(order.Id)).Status);
        var payments = await services.PaymentsOfAsync(order.Id);
        Assert.Equal(2, payments.Count);
        Assert.Single(payments, p => p.Status == PaymentStatus.Succeeded);
        Assert.Single(payments, p => p.RefundReason is not null);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Error && e.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
    }
}
