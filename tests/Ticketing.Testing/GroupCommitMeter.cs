using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Testing;

/// <summary>
/// What one app's group commit reports on its meter (<see cref="GroupCommit.MeterName"/>): each
/// batch's size and outcome, and its seconds, in the order the batches ended.
/// </summary>
public sealed class GroupCommitMeter(IServiceProvider services) : IDisposable
{
    private readonly HostMeter _meter = new(services, GroupCommit.MeterName);

    public List<(int Size, string Outcome)> Batches =>
        _meter.Of(GroupCommit.BatchSizeInstrument).ConvertAll(m => ((int)m.Value, (string)m.Tags.Single(t => t.Key == "outcome").Value!));

    public List<double> Seconds => _meter.Of(GroupCommit.BatchDurationInstrument).ConvertAll(m => m.Value);

    /// <summary>Forgets the batches heard so far.</summary>
    public void Reset() => _meter.Reset();

    public void Dispose() => _meter.Dispose();
}
