using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Logging;

/// <summary>
/// Every step of an order's life is logged with the order id as a structured property (not only in
/// the text), so one query on <c>OrderId</c> tells an order's whole story.
/// </summary>
public sealed class OrderLifecycleLogTests : IAsyncDisposable
{
    private readonly LogCapture _logs = new();
    private readonly TicketingApp _app = new(settings: new Dictionary<string, string?> { ["Ordering:ReservationSeconds"] = "2" });
    private readonly IServiceProvider _services;
    private readonly Guid _buyer = Guid.NewGuid();

    public OrderLifecycleLogTests()
    {
        _services = _app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<ILoggerProvider>(_logs))).Services;
    }

    [Fact]
    public async Task ReservedDeclinedAndPaid_EachStepCarriesTheOrderId()
    {
        var order = await ReserveAsync();

        await Assert.ThrowsAsync<PaymentDeclinedException>(() => _services.PayAsync(_buyer, order, "tok_chargeDeclined"));
        await _services.PayAsync(_buyer, order, "tok_visa");
        await _services.WaitForOutboxToSettleAsync();

        AssertSteps(order, "reserved ticket", "expiry scheduled", "payment declined", "paid");
    }

    [Fact]
    public async Task ReservedAndCancelled_EachStepCarriesTheOrderId()
    {
        var order = await ReserveAsync();

        await _services.CancelAsync(_buyer, order);
        await _services.WaitForOutboxToSettleAsync();

        AssertSteps(order, "reserved ticket", "expiry scheduled", "cancelled (User)");
    }

    [Fact]
    public async Task ReservedAndExpired_EachStepCarriesTheOrderId()
    {
        var order = await ReserveAsync();

        await TicketingApp.WaitUntilAsync(
            async () => (await _services.ReadOrderAsync(order)).Status == OrderStatus.Cancelled,
            TimeSpan.FromSeconds(15),
            "the order expires");

        AssertSteps(order, "reserved ticket", "expiry scheduled", "window closed", "expired");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<Guid> ReserveAsync()
    {
        var ticket = await _services.ListTicketAsync(Guid.NewGuid());
        return (await _services.ReserveAsync(_buyer, ticket.Id)).Id;
    }

    private void AssertSteps(Guid orderId, params string[] steps)
    {
        var messages = _logs.MessagesFor(orderId);
        foreach (var step in steps)
        {
            Assert.True(
                messages.Any(m => m.Contains(step, StringComparison.Ordinal)),
                $"no log entry with OrderId {orderId} for \"{step}\"; entries for it:\n{string.Join("\n", messages)}");
        }
    }
}
