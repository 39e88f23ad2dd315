using Microsoft.EntityFrameworkCore;
using Ticketing.Domain.Expiration;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Persistence;

/// <summary>
/// The app's contexts come from a pool: a disposed one is leased again, and starts as a new one
/// would, whatever the last lease left in it.
/// </summary>
public sealed class ContextPoolTests
{
    [Fact]
    public async Task AContextLeasedAgain_IsTheSameInstance_AndStillPublishesThroughTheApp()
    {
        await using var app = new TicketingApp();
        TicketingDbContext first;
        await using (first = app.Services.OpenDb())
        {
            Assert.True(await first.Tickets.CountAsync() >= 0);
        }

        await using var second = await LeaseAgainAsync(app.Services, first);

        // Saves of a pooled context still write their events to the outbox: the pipeline came with the options.
        var orderId = Guid.NewGuid();
        second.Publish(new ExpirationComplete(orderId, 1, DateTimeOffset.UtcNow));
        await second.SaveChangesAsync();
        Assert.Single(await app.Services.ReadOutboxAsync(orderId));
    }

    [Fact]
    public async Task WhatALeaseLeftBehind_DoesNotReachTheNextLease()
    {
        await using var app = new TicketingApp();
        var forgotten = Guid.NewGuid();
        var savedHandlerCalls = 0;
        TicketingDbContext first;
        await using (first = app.Services.OpenDb())
        {
            // An event published and never saved, a handler on the context's saves, a change never saved.
            first.Publish(new ExpirationComplete(forgotten, 1, DateTimeOffset.UtcNow));
            first.SavedChanges += (_, _) => savedHandlerCalls++;
            first.Add(new Identity.ClosedAccount { Key = "never-saved" });

            // A transaction's saved events and its kept commands, rolled back with the lease.
            await using var transaction = await first.Database.BeginTransactionAsync();
            first.WroteInTransaction([new ExpirationComplete(forgotten, 2, DateTimeOffset.UtcNow)]);
            await first.KeptCommands.ExecuteAsync("DELETE FROM tickets WHERE 0", [], CancellationToken.None);
        }

        await using var second = await LeaseAgainAsync(app.Services, first);
        Assert.Empty(second.ChangeTracker.Entries());
        Assert.Equal(0, second.SavedInTransaction);

        var saved = Guid.NewGuid();
        second.Publish(new ExpirationComplete(saved, 1, DateTimeOffset.UtcNow));
        await second.SaveChangesAsync();

        Assert.Equal(0, savedHandlerCalls);
        Assert.Empty(await app.Services.ReadOutboxAsync(forgotten));
        Assert.Single(await app.Services.ReadOutboxAsync(saved));
        Assert.False(await second.Set<Identity.ClosedAccount>().AnyAsync(a => a.Key == "never-saved"));

        // The kept command went with the lease: the next transaction prepares its own on the open connection.
        await using var transaction2 = await second.Database.BeginTransactionAsync();
        Assert.Equal(0, await second.KeptCommands.ExecuteAsync("DELETE FROM tickets WHERE 0", [], CancellationToken.None));
    }

    /// <summary>
    /// Leases until the pool hands <paramref name="context"/> out again (the app's background services
    /// lease and return contexts meanwhile, so it need not be the next one), holding the others till then.
    /// </summary>
    private static async Task<TicketingDbContext> LeaseAgainAsync(IServiceProvider services, TicketingDbContext context)
    {
        var others = new List<TicketingDbContext>();
        try
        {
            for (var i = 0; i < 200; i++)
            {
                var leased = services.OpenDb();
                if (ReferenceEquals(leased, context))
                {
                    return leased;
                }

                others.Add(leased);
            }

            throw new Xunit.Sdk.XunitException("A disposed context was not leased again: the app's contexts are not pooled.");
        }
        finally
        {
            foreach (var other in others)
            {
                await other.DisposeAsync();
            }
        }
    }
}
