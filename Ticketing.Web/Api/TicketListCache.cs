using System.Text.Json;
using Microsoft.Extensions.Options;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tickets;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Ticketing.Web.Api;

/// <summary>
/// The public list's JSON, one body per status filter, kept with the <see cref="CommitStamp"/> read
/// before its query. A body is served again only while the stamp still reads the same, so a commit
/// by any instance on the database shows on the very next request; between commits a read costs
/// one stamp reading instead of a query and a serialization.
/// </summary>
public sealed class TicketListCache(CommitStamp stamp, IOptions<HttpJsonOptions> jsonOptions)
{
    private readonly Entry?[] _entries = new Entry?[Enum.GetValues<TicketStatus>().Length + 1];

    /// <summary>The list as the uncached endpoint would write it, byte for byte.</summary>
    /// <param name="list">
    /// Runs the query; called at most once per stamp and filter, whoever asks. It may outlive the
    /// request that supplied it, so it must not use anything that request's scope disposes.
    /// </param>
    public async Task<byte[]> GetAsync(TicketStatus? status, Func<CancellationToken, Task<IReadOnlyList<TicketView>>> list, CancellationToken cancellationToken = default)
    {
        var current = await stamp.ReadAsync(cancellationToken);
        if (current is not { } version)
        {
            return await SerializeAsync(list, cancellationToken);
        }

        ref var slot = ref _entries[status is { } s ? 1 + (int)s : 0];
        var entry = Volatile.Read(ref slot);
        if (entry is null || entry.Stamp != version || entry.Failed)
        {
            // Not cancelled with this request: other requests for the same stamp may wait on it.
            var fresh = new Entry(version, new Lazy<Task<byte[]>>(() => SerializeAsync(list, CancellationToken.None)));
            var raced = Interlocked.CompareExchange(ref slot, fresh, entry);

            // Whoever put a body for the same stamp first is as fresh as this one would be: share it.
            entry = raced != entry && raced is { Failed: false } && raced.Stamp == version ? raced : fresh;
        }

        return await entry.Body.Value.WaitAsync(cancellationToken);
    }

    private async Task<byte[]> SerializeAsync(Func<CancellationToken, Task<IReadOnlyList<TicketView>>> list, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeToUtf8Bytes(await list(cancellationToken), jsonOptions.Value.SerializerOptions);

    private sealed class Entry(long stamp, Lazy<Task<byte[]>> body)
    {
        public long Stamp => stamp;

        public Lazy<Task<byte[]>> Body => body;

        public bool Failed => Body.IsValueCreated && Body.Value is { IsCompleted: true, IsCompletedSuccessfully: false };
    }
}
