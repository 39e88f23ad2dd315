using System.Collections.Concurrent;
using System.Text.Json;
using Ticketing.Infrastructure.Paging;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tickets;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Ticketing.Web.Api;

/// <summary>A page of the public list as the endpoint writes it: its JSON and the cursor of the next page.</summary>
public sealed record CachedTicketPage(byte[] Json, ListCursor? Next);

/// <summary>
/// Pages of the public list, one per query (status, search, limit, cursor), kept with the
/// <see cref="CommitStamp"/> read before their queries. They are served again only while the
/// stamp still reads the same, so a commit by any instance on the database shows on the very next
/// request; between commits a read costs one stamp reading instead of a query and a serialization.
/// Memory is bounded: a new stamp drops every page, and no more than <see cref="MaxPages"/> pages
/// or <see cref="MaxBytes"/> bytes are kept for one stamp (beyond that pages are built uncached).
/// </summary>
public sealed class TicketListCache(CommitStamp stamp, IOptions<HttpJsonOptions> jsonOptions)
{
    public const int MaxPages = 256;
    public const long MaxBytes = 16 * 1024 * 1024;

    private Generation? _current;

    /// <summary>The page as the uncached endpoint would write it, byte for byte.</summary>
    /// <param name="key">Names the query; equal keys must mean equal pages.</param>
    /// <param name="list">
    /// Runs the query; called at most once per stamp and key, whoever asks. It may outlive the
    /// request that supplied it, so it must not use anything that request's scope disposes.
    /// </param>
    public async Task<CachedTicketPage> GetAsync(string key, Func<CancellationToken, Task<CursorPage<TicketView>>> list, CancellationToken cancellationToken = default)
    {
        var current = await stamp.ReadAsync(cancellationToken);
        if (current is not { } version)
        {
            return await SerializeAsync(list, cancellationToken);
        }

        var generation = Volatile.Read(ref _current);
        if (generation is null || generation.Stamp != version)
        {
            var fresh = new Generation(version);
            var raced = Interlocked.CompareExchange(ref _current, fresh, generation);

            // Whoever started a generation for the same stamp first is as fresh as this one would be: share it.
            generation = raced != generation && raced?.Stamp == version ? raced : fresh;
        }

        var entry = generation.Find(key);
        if (entry is null)
        {
            if (!generation.TryReserve())
            {
                return await SerializeAsync(list, cancellationToken);
            }

            // Not cancelled with this request: other requests for the same page may wait on it.
            Lazy<Task<CachedTicketPage>>? made = null;
            made = new Lazy<Task<CachedTicketPage>>(() => BuildAsync(generation, key, made!, list));
            entry = generation.Add(key, made);
            if (!ReferenceEquals(entry, made))
            {
                generation.Release();
            }
        }

        return await entry.Value.WaitAsync(cancellationToken);
    }

    private async Task<CachedTicketPage> BuildAsync(
        Generation generation, string key, Lazy<Task<CachedTicketPage>> entry, Func<CancellationToken, Task<CursorPage<TicketView>>> list)
    {
        try
        {
            var page = await SerializeAsync(list, CancellationToken.None);
            if (!generation.Keep(page.Json.Length))
            {
                generation.Remove(key, entry);
            }

            return page;
        }
        catch
        {
            // A failed build is not kept: the next request tries again.
            generation.Remove(key, entry);
            throw;
        }
    }

    private async Task<CachedTicketPage> SerializeAsync(Func<CancellationToken, Task<CursorPage<TicketView>>> list, CancellationToken cancellationToken)
    {
        var page = await list(cancellationToken);
        return new CachedTicketPage(JsonSerializer.SerializeToUtf8Bytes(page.Items, jsonOptions.Value.SerializerOptions), page.Next);
    }

    /// <summary>The pages built under one stamp.</summary>
    private sealed class Generation(long stamp)
    {
        private readonly ConcurrentDictionary<string, Lazy<Task<CachedTicketPage>>> _pages = new(StringComparer.Ordinal);
        private int _count;
        private long _bytes;

        public long Stamp => stamp;

        public Lazy<Task<CachedTicketPage>>? Find(string key) => _pages.GetValueOrDefault(key);

        public Lazy<Task<CachedTicketPage>> Add(string key, Lazy<Task<CachedTicketPage>> page) => _pages.GetOrAdd(key, page);

        public bool TryReserve()
        {
            if (Interlocked.Increment(ref _count) <= MaxPages)
            {
                return true;
            }

            Interlocked.Decrement(ref _count);
            return false;
        }

        public void Release() => Interlocked.Decrement(ref _count);

        public bool Keep(long bytes) => Interlocked.Add(ref _bytes, bytes) <= MaxBytes;

        public void Remove(string key, Lazy<Task<CachedTicketPage>> page)
        {
            if (_pages.TryRemove(new KeyValuePair<string, Lazy<Task<CachedTicketPage>>>(key, page)))
            {
                Release();
            }
        }
    }
}
