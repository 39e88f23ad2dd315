using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// Writes the work queued while a transaction holds the write lock together: one transaction, one
/// commit and one fsync for up to <see cref="MaxBatch"/> pieces of work instead of one each. Each
/// piece runs in its own savepoint in the order it was queued and sees what the pieces before it
/// wrote, so a decision made by reading rows (is the ticket still free, how many live orders has the
/// buyer) is made under the lock, with every earlier piece counted. A piece that throws is rolled
/// back alone; the others commit. Each caller's task completes only once the commit is on disk,
/// with its own result or exception; if the commit fails, every piece of the batch fails with it and
/// nothing is written. Each piece runs in its caller's execution context (the request or circuit
/// that asked, which the audit trail reads), never in that of the caller whose call started the
/// batch, whose request may be over. At most one batch runs per instance (docs/decisions/0032).
/// Each batch is measured on the meter <see cref="MeterName"/>: how many pieces it wrote, and how
/// long it held the one writer, so that a writer that never idles shows before the queue does.
/// </summary>
[Singleton]
public sealed partial class GroupCommit(IDbContextFactory<TicketingDbContext> contexts, IMeterFactory meters, ILogger<GroupCommit> logger)
{
    public const string MeterName = "Ticketing.GroupCommit";

    /// <summary>Pieces per batch, tagged <c>outcome</c>: <c>committed</c> or <c>failed</c> (nothing of it written).</summary>
    public const string BatchSizeInstrument = "ticketing.group_commit.batch.size";

    /// <summary>Seconds from a batch's start (it waits for the write lock first) to its commit or failure, tagged likewise.</summary>
    public const string BatchDurationInstrument = "ticketing.group_commit.batch.duration";

    private readonly BatchMetrics _metrics = new(meters.Create(MeterName));

    /// <summary>
    /// The most pieces one transaction takes: the write lock is held for all of them, which a
    /// payment or cancel arriving meanwhile waits for (about 1–1.4 ms a reservation on two busy cores).
    /// </summary>
    public const int MaxBatch = 32;

    private const string Savepoint = "piece";

    private readonly ConcurrentQueue<Piece> _queue = new();

    // 1 while a drain loop runs: the first caller to find none starts one.
    private int _draining;

    /// <summary>
    /// Queues <paramref name="write"/> and completes once the transaction it ran in has committed.
    /// The work gets a context with an open transaction and may save as often as it likes; it must
    /// not commit. <paramref name="cancellationToken"/> drops the work only while it is still queued.
    /// </summary>
    public Task RunAsync(Func<TicketingDbContext, Task> write, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var piece = new Piece(write, cancellationToken);
        _queue.Enqueue(piece);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            // The drain outlives this caller's request: it must not carry the request's context along.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(DrainAsync, CancellationToken.None);
            }
        }

        return piece.Done.Task;
    }

    /// <summary>Pieces waiting for a batch (not those of the batch being written).</summary>
    internal int Queued => _queue.Count;

    private async Task DrainAsync()
    {
        do
        {
            var batch = new List<Piece>(MaxBatch);
            while (Take(batch))
            {
                await WriteAsync(batch);
                batch.Clear();
            }

            Volatile.Write(ref _draining, 0);

            // A caller that queued after the last take and saw the loop still running did not start
            // one: take its work over unless another caller already has.
        }
        while (!_queue.IsEmpty && Interlocked.CompareExchange(ref _draining, 1, 0) == 0);
    }

    private bool Take(List<Piece> batch)
    {
        while (batch.Count < MaxBatch && _queue.TryDequeue(out var piece))
        {
            if (piece.CancellationToken.IsCancellationRequested)
            {
                piece.Done.TrySetCanceled(piece.CancellationToken);
                continue;
            }

            batch.Add(piece);
        }

        return batch.Count > 0;
    }

    private async Task WriteAsync(List<Piece> batch)
    {
        // A piece's own failure, kept until the commit: another piece's answer may depend on what it read.
        var failures = new Exception?[batch.Count];
        var started = Stopwatch.GetTimestamp();
        var outcome = "committed";
        try
        {
            // EF Core keeps its own savepoint around each save inside the piece's, so a piece that
            // catches a failed save and tries again starts from what it had before that save.
            await using var db = await contexts.CreateDbContextAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            for (var i = 0; i < batch.Count; i++)
            {
                await transaction.CreateSavepointAsync(Savepoint);
                var saved = db.SavedInTransaction;
                try
                {
                    await batch[i].RunAsync(db);
                    await transaction.ReleaseSavepointAsync(Savepoint);
                }
                catch (Exception ex)
                {
                    failures[i] = ex;
                    await transaction.RollbackToSavepointAsync(Savepoint);
                    await transaction.ReleaseSavepointAsync(Savepoint);
                    db.ForgetSavedSince(saved);
                }
                finally
                {
                    db.DiscardUnsaved();
                }
            }

            await transaction.CommitAsync();
            db.HandOverCommitted();
        }
        catch (Exception ex)
        {
            // Nothing of this batch was written: every piece fails, with the reason it failed alone
            // if it did, else with the batch's.
            LogBatchFailed(ex, batch.Count);
            outcome = "failed";
            for (var i = 0; i < batch.Count; i++)
            {
                failures[i] ??= ex;
            }
        }

        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        _metrics.Size.Record(batch.Count, tag);
        _metrics.Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tag);

        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                batch[i].Done.TrySetException(failure);
            }
            else
            {
                batch[i].Done.TrySetResult();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group commit of {Count} pieces failed; none was written")]
    private partial void LogBatchFailed(Exception ex, int count);

    private sealed class BatchMetrics(Meter meter)
    {
        public Histogram<int> Size { get; } = meter.CreateHistogram<int>(BatchSizeInstrument, "{piece}", "Pieces of work written in one transaction");

        public Histogram<double> Duration { get; } = meter.CreateHistogram<double>(BatchDurationInstrument, "s", "Time a batch took, from waiting for the write lock to its commit");
    }

    private sealed class Piece(Func<TicketingDbContext, Task> write, CancellationToken cancellationToken)
    {
        // The caller's context (its request or circuit): who the audit trail records as having asked.
        private readonly ExecutionContext? _context = ExecutionContext.Capture();

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Runs the work as if its caller ran it: in the caller's execution context, not the drain's.</summary>
        public Task RunAsync(TicketingDbContext db)
        {
            if (_context is null)
            {
                return write(db);
            }

            Task? running = null;
            ExecutionContext.Run(_context, _ => running = write(db), null);
            return running!;
        }
    }
}
