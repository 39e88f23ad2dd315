using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Events;

/// <summary>A message whose handler keeps failing is set aside for an admin, and the rest of the site carries on.</summary>
public sealed class OutboxDeadLetterTests
{
    private const int MaxAttempts = 3;

    [Fact]
    public async Task AlwaysFailingHandler_EndsDeadLetteredAfterMaxAttempts_WhileOtherMessagesFlowAndReadyStays200_ThenARetryDeliversItOnce()
    {
        var poison = new PoisonSwitch();
        await using var app = new TicketingApp(settings: new Dictionary<string, string?>
        {
            ["Outbox:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Outbox:MaxLagSeconds"] = "3",
        });
        var host = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s
            .AddSingleton(poison)
            .AddScoped<IEventHandler, PoisonedListingHandler>()));
        var services = host.Services;
        using var http = host.CreateClient();

        var poisoned = await services.ListTicketAsync(Guid.NewGuid(), title: "Poison pill");
        var readiness = new List<HttpStatusCode>();
        DeadLetter? dead = null;
        await TicketingApp.WaitUntilAsync(
            async () =>
            {
                // Meanwhile other listings come and go through the outbox as usual.
                var other = await services.ListTicketAsync(Guid.NewGuid(), title: "Ordinary seat");
                await WaitUntilProcessedAsync(services, other.Id);
                readiness.Add((await http.GetAsync("/health/ready")).StatusCode);
                await using var scope = services.CreateAsyncScope();
                var page = await scope.ServiceProvider.GetRequiredService<DeadLetters>().ListAsync();
                dead = page.Items.SingleOrDefault(d => d.AggregateId == poisoned.Id);
                return dead is not null;
            },
            TimeSpan.FromSeconds(60),
            "the poisoned TicketCreated is dead-lettered");

        Assert.Equal(MaxAttempts, poison.Failures);
        Assert.Equal(nameof(TicketCreated), dead!.Type);
        Assert.Equal(MaxAttempts, dead.Attempts);
        Assert.Equal("The handler cannot take this listing", dead.LastError);
        Assert.True(readiness.Count >= 2, "readiness was checked while the message was being retried");
        Assert.All(readiness, status => Assert.Equal(HttpStatusCode.OK, status));

        // Dead-lettered: nobody tries it any more.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(MaxAttempts, poison.Failures);

        poison.Fixed = true;
        await using (var scope = services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<DeadLetters>().RetryAsync(dead.Id));
            Assert.False(await scope.ServiceProvider.GetRequiredService<DeadLetters>().RetryAsync(dead.Id));
        }

        await WaitUntilProcessedAsync(services, poisoned.Id);
        Assert.Equal(1, poison.Deliveries);
        await using var db = services.OpenDb();
        var message = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == dead.Id);
        Assert.Null(message.DeadLetteredAt);
        var handlers = await db.OutboxDeliveries.AsNoTracking().Where(d => d.MessageId == dead.Id).Select(d => d.Handler).ToListAsync();
        Assert.Equal(handlers.Distinct().Count(), handlers.Count);
        Assert.Contains(nameof(PoisonedListingHandler), handlers);
        await using (var scope = services.CreateAsyncScope())
        {
            Assert.Equal(0, (await scope.ServiceProvider.GetRequiredService<DeadLetters>().ListAsync()).Total);
        }
    }

    private static Task WaitUntilProcessedAsync(IServiceProvider services, Guid aggregateId) =>
        TicketingApp.WaitUntilAsync(
            async () => (await services.ReadOutboxAsync(aggregateId)).All(m => m.ProcessedAt is not null),
            TimeSpan.FromSeconds(15),
            $"the events of {aggregateId} are processed");

    internal sealed class PoisonSwitch
    {
        private int _failures;
        private int _deliveries;

        public volatile bool Fixed;

        public int Failures => Volatile.Read(ref _failures);

        public int Deliveries => Volatile.Read(ref _deliveries);

        public void Fail() => Interlocked.Increment(ref _failures);

        public void Deliver() => Interlocked.Increment(ref _deliveries);
    }

    /// <summary>A handler with a bug that one listing triggers, until it is fixed.</summary>
    private sealed class PoisonedListingHandler(PoisonSwitch poison) : CommittedEventHandler<TicketCreated>
    {
        protected override Task HandleAsync(TicketCreated domainEvent, CancellationToken cancellationToken)
        {
            if (domainEvent.Title.StartsWith("Poison", StringComparison.Ordinal))
            {
                if (!poison.Fixed)
                {
                    poison.Fail();
                    throw new InvalidOperationException("The handler cannot take this listing");
                }

                poison.Deliver();
            }

            return Task.CompletedTask;
        }
    }
}
