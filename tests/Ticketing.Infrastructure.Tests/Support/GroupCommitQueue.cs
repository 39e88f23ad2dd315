using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>Puts reservations into one group commit on purpose: what the group-commit tests queue, and how they wait for it.</summary>
internal static class GroupCommitQueue
{
    /// <summary>
    /// A batch of one empty piece that has started and waits for the write lock, so that whatever is
    /// queued next waits in the queue until the lock is free, and goes into the batches after it.
    /// </summary>
    public static async Task<Task> BatchWaitingForTheLockAsync(IServiceProvider services)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ahead = services.GetRequiredService<GroupCommit>().RunAsync(_ =>
        {
            started.TrySetResult();
            return Task.CompletedTask;
        });

        // Taken off the queue into a batch, which waits for the lock: the piece has not run.
        await QueuedAsync(services, 0);
        Assert.False(started.Task.IsCompleted);
        return ahead;
    }

    /// <summary>Starts every write at once and has them all queued for the one batch after a batch that waits for the write lock, then lets the lock go.</summary>
    public static async Task<T[]> InOneBatchAsync<T>(TicketingApp app, IServiceProvider services, params Func<Task<T>>[] writes)
    {
        Task<T[]> all;
        using (SqliteWriteLock.Take(app.DatabasePath))
        {
            await BatchWaitingForTheLockAsync(services);
            all = Task.WhenAll(writes.Select(write => write()));
            await QueuedAsync(services, writes.Length);
        }

        return await all;
    }

    public static Task QueuedAsync(IServiceProvider services, int count)
    {
        var commits = services.GetRequiredService<GroupCommit>();
        return TicketingApp.WaitUntilAsync(() => Task.FromResult(commits.Queued == count), TimeSpan.FromSeconds(15), $"{count} pieces are queued");
    }

    /// <summary>The app, with these interceptors on every context it creates.</summary>
    public static IServiceProvider WithInterceptors(TicketingApp app, params IInterceptor[] interceptors) =>
        app.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.ConfigureDbContext<SqliteTicketingDbContext>(o => o.AddInterceptors(interceptors)))).Services;
}
