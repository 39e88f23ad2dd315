using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Testing;

/// <summary>
/// What one app's group commit reports on its meter (<see cref="GroupCommit.MeterName"/>): each
/// batch's size and outcome, and its seconds, in the order the batches ended. Only the meter of the
/// host whose services are given is heard, not that of another app in the same process.
/// </summary>
public sealed class GroupCommitMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(int Size, string Outcome)> _batches = [];
    private readonly List<double> _seconds = [];

    public GroupCommitMeter(IServiceProvider services)
    {
        var host = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, host) && instrument.Meter.Name == GroupCommit.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, size, tags, _) =>
        {
            lock (_batches)
            {
                _batches.Add((size, (string)tags[0].Value!));
            }
        });
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            lock (_batches)
            {
                _seconds.Add(seconds);
            }
        });
        _listener.Start();
    }

    public List<(int Size, string Outcome)> Batches
    {
        get
        {
            lock (_batches)
            {
                return [.. _batches];
            }
        }
    }

    public List<double> Seconds
    {
        get
        {
            lock (_batches)
            {
                return [.. _seconds];
            }
        }
    }

    /// <summary>Forgets the batches heard so far.</summary>
    public void Reset()
    {
        lock (_batches)
        {
            _batches.Clear();
            _seconds.Clear();
        }
    }

    public void Dispose() => _listener.Dispose();
}
